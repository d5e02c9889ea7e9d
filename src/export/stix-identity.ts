import type { StixIdentity } from './stix-types.js';

/**
 * The producer identity every object we publish names in `created_by_ref`. Its id is a fixed
 * UUIDv4 (an SDO id, STIX 2.1 §2.9), the same on every installation, so consumers that merge
 * several SOC Defenders servers see one author. It names itself as creator so that
 * stix2-validator's interop profile accepts it as a producer.
 */
export const STIX_PRODUCER_ID = 'identity--2d3f847e-8c91-4acf-bdbd-9ac0eae47cfc';

export const STIX_PRODUCER_IDENTITY: StixIdentity = {
  type: 'identity',
  spec_version: '2.1',
  id: STIX_PRODUCER_ID,
  created_by_ref: STIX_PRODUCER_ID,
  created: '2025-01-01T00:00:00.000Z',
  modified: '2025-01-01T00:00:00.000Z',
  name: 'SOC Defenders',
  description: 'Self-hosted SOC Defenders threat-intelligence server: IOCs collected from public and private feeds.',
  identity_class: 'organization',
};
