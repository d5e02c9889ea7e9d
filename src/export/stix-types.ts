/**
 * The STIX 2.1 objects SOC Defenders produces (OASIS STIX 2.1 §4, §7), typed as far as we
 * fill them. Property order here is the order they are written in, so renderings are stable.
 */

export interface StixExternalReference {
  source_name: string;
  description?: string;
  url?: string;
  external_id?: string;
}

export interface StixKillChainPhase {
  kill_chain_name: string;
  phase_name: string;
}

/** Properties every SDO we publish carries. */
interface StixDomainCommon {
  spec_version: '2.1';
  id: string;
  created_by_ref: string;
  created: string;
  modified: string;
  revoked?: true;
  labels?: string[];
  confidence: number;
  external_references?: StixExternalReference[];
  object_marking_refs: string[];
}

export interface StixIndicator extends StixDomainCommon {
  type: 'indicator';
  name: string;
  description: string;
  indicator_types: string[];
  pattern: string;
  pattern_type: 'stix';
  pattern_version: '2.1';
  valid_from: string;
  valid_until?: string;
  kill_chain_phases?: StixKillChainPhase[];
}

export interface StixVulnerability extends StixDomainCommon {
  type: 'vulnerability';
  name: string;
  description: string;
  external_references: StixExternalReference[];
}

export interface StixAttackPattern extends StixDomainCommon {
  type: 'attack-pattern';
  name: string;
  description: string;
  external_references: StixExternalReference[];
  kill_chain_phases?: StixKillChainPhase[];
}

export interface StixIdentity {
  type: 'identity';
  spec_version: '2.1';
  id: string;
  created_by_ref: string;
  created: string;
  modified: string;
  name: string;
  description: string;
  identity_class: 'organization';
  contact_information?: string;
}

export interface StixMarkingDefinition {
  type: 'marking-definition';
  spec_version: '2.1';
  id: string;
  created: string;
  name: string;
  /** TLP 1.0 markings (STIX 2.1 §7.2.1.4). */
  definition_type?: 'tlp';
  definition?: { tlp: string };
  /** TLP 2.0 markings (OASIS extension-definition--60a3c5c5-…). */
  extensions?: Record<string, { extension_type: 'property-extension'; tlp_2_0: string }>;
}

/** A STIX object rendered from one IOC. */
export type StixIocObject = StixIndicator | StixVulnerability | StixAttackPattern;

/** Any STIX object SOC Defenders serves. */
export type StixObject = StixIocObject | StixIdentity | StixMarkingDefinition;

/** The STIX object types SOC Defenders serves, as TAXII `match[type]` names them. */
export type StixType = StixObject['type'];
