import type { Tlp } from '../domain/vocabulary.js';
import type { StixMarkingDefinition } from './stix-types.js';

/**
 * TLP data markings. STIX 2.1 §7.2.1.4 fixes the only four TLP 1.0 marking-definition objects
 * (ids and `created` are normative; no other TLP 1.0 instance is valid). TLP 2.0 levels come from
 * the OASIS TLP 2.0 extension (oasis-open/cti-stix-common-objects,
 * extension-definition-specifications/tlp-2.0), whose marking ids are equally fixed.
 */

export const TLP1_WHITE: StixMarkingDefinition = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  created: '2017-01-20T00:00:00.000Z',
  name: 'TLP:WHITE',
  definition_type: 'tlp',
  definition: { tlp: 'white' },
};

export const TLP1_GREEN: StixMarkingDefinition = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  created: '2017-01-20T00:00:00.000Z',
  name: 'TLP:GREEN',
  definition_type: 'tlp',
  definition: { tlp: 'green' },
};

export const TLP1_AMBER: StixMarkingDefinition = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  created: '2017-01-20T00:00:00.000Z',
  name: 'TLP:AMBER',
  definition_type: 'tlp',
  definition: { tlp: 'amber' },
};

export const TLP1_RED: StixMarkingDefinition = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
  created: '2017-01-20T00:00:00.000Z',
  name: 'TLP:RED',
  definition_type: 'tlp',
  definition: { tlp: 'red' },
};

export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

function tlp2(id: string, level: string): StixMarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: `marking-definition--${id}`,
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

/** The five TLP 2.0 marking definitions of the OASIS extension, by level. */
export const TLP2_MARKINGS: Readonly<Record<Tlp, StixMarkingDefinition>> = {
  clear: tlp2('94868c89-83c2-464b-929b-a1a8aa3c8487', 'clear'),
  green: tlp2('bab4a63c-aed9-4cf5-a766-dfca5abac2bb', 'green'),
  amber: tlp2('55d920b0-5e8b-4f79-9ee9-91f868d9b421', 'amber'),
  'amber+strict': tlp2('939a9414-2ddd-4d32-a0cd-375ea402b003', 'amber+strict'),
  red: tlp2('e828b379-4e03-4974-9ac4-e53a884c97c1', 'red'),
};

/**
 * The marking each TLP level is published with. Where TLP 1.0 has the same meaning (FIRST's
 * TLP 2.0 renamed WHITE to CLEAR and kept GREEN, AMBER and RED), the STIX 2.1 standard TLP 1.0
 * marking is used: it is the one every consumer knows (stix2, OpenCTI, MISP, Sentinel) and the
 * one stix2-validator's interop profile recognises. AMBER+STRICT has no TLP 1.0 equivalent and
 * uses the TLP 2.0 extension's marking.
 */
export const TLP_MARKING: Readonly<Record<Tlp, StixMarkingDefinition>> = {
  clear: TLP1_WHITE,
  green: TLP1_GREEN,
  amber: TLP1_AMBER,
  'amber+strict': TLP2_MARKINGS['amber+strict'],
  red: TLP1_RED,
};

/** Every marking definition an object we publish may reference, in a fixed order. */
export const STIX_MARKING_DEFINITIONS: readonly StixMarkingDefinition[] = [
  TLP1_WHITE,
  TLP1_GREEN,
  TLP1_AMBER,
  TLP2_MARKINGS['amber+strict'],
  TLP1_RED,
];
