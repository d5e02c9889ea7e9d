import { attackUrl, isTacticId, tacticName, tacticShortName, techniqueName, techniqueTactics } from '../domain/attack.js';
import type { IocRecord, IocSource } from '../domain/ioc.js';
import { STIX_CONFIDENCE, type IocType } from '../domain/vocabulary.js';
import { STIX_PRODUCER_ID, STIX_PRODUCER_IDENTITY } from './stix-identity.js';
import { STIX_MARKING_DEFINITIONS, TLP_MARKING } from './stix-markings.js';
import { stixPattern } from './stix-pattern.js';
import { stixTimestamp } from './stix-time.js';
import type {
  StixAttackPattern,
  StixExternalReference,
  StixIndicator,
  StixIocObject,
  StixKillChainPhase,
  StixObject,
  StixVulnerability,
} from './stix-types.js';

/**
 * The STIX 2.1 rendering of IOCs, shared by TAXII, `GET /api/v1/iocs/stix` and push.
 *
 * One IOC is one STIX object whose id is `<stix type>--<IOC id>`: the IOC id is already the
 * UUIDv5 of (type, value) in the SOC Defenders namespace (domain/ids.ts), so the STIX id is
 * stable across versions, databases and servers, and maps back to the IOC without a lookup.
 * - IPs (and CIDR blocks), domains, URLs, hashes, email addresses: an `indicator` with a
 *   single-comparison pattern.
 * - CVEs: a `vulnerability` with the `cve` external reference.
 * - ATT&CK techniques (type mitre-attack): an `attack-pattern` with the `mitre-attack` external
 *   reference and its tactics as kill-chain phases: the form ATT&CK itself publishes in STIX,
 *   which OpenCTI and MISP merge with their ATT&CK data by external id. A tactic id (TA0011,
 *   also a mitre-attack IOC) has no STIX 2.1 type of its own (ATT&CK uses the custom
 *   x-mitre-tactic), so it too is an attack-pattern, named for the tactic, whose kill-chain
 *   phase is the tactic itself: one object per IOC keeps paging and lookups by id exact.
 * `created` is the first sighting, `modified` the version timestamp (so it moves with every
 * version); an IOC that is no longer active (expired, revoked, allowlisted) is a new version
 * with `revoked: true`, which tells pollers to retire it.
 */

/** The STIX object type each IOC type is published as. */
export const STIX_TYPE_OF: Readonly<Record<IocType, StixIocObject['type']>> = {
  ipv4: 'indicator',
  ipv6: 'indicator',
  domain: 'indicator',
  url: 'indicator',
  md5: 'indicator',
  sha1: 'indicator',
  sha256: 'indicator',
  sha512: 'indicator',
  email: 'indicator',
  cve: 'vulnerability',
  'mitre-attack': 'attack-pattern',
};

/** The STIX id of an IOC: `indicator--<IOC id>` and so on. */
export function stixIdOf(type: IocType, iocId: string): string {
  return `${STIX_TYPE_OF[type]}--${iocId}`;
}

/**
 * The objects every rendering may reference and that a consumer needs to resolve those
 * references: our producer identity and the TLP marking definitions.
 */
export const STIX_SHARED_OBJECTS: readonly StixObject[] = [STIX_PRODUCER_IDENTITY, ...STIX_MARKING_DEFINITIONS];

const KIND: Readonly<Record<IocType, string>> = {
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  domain: 'Domain',
  url: 'URL',
  md5: 'MD5 file hash',
  sha1: 'SHA-1 file hash',
  sha256: 'SHA-256 file hash',
  sha512: 'SHA-512 file hash',
  email: 'Email address',
  cve: 'Vulnerability',
  'mitre-attack': 'ATT&CK technique',
};

function kindOf(record: IocRecord): string {
  if (record.type === 'mitre-attack' && isTacticId(record.value)) return 'ATT&CK tactic';
  if ((record.type === 'ipv4' || record.type === 'ipv6') && record.value.includes('/')) {
    return record.type === 'ipv4' ? 'IPv4 network' : 'IPv6 network';
  }
  return KIND[record.type];
}

/** An http(s) URL in the normalized form RFC 3986 validators accept, or undefined. */
function webUrl(text: string | null): string | undefined {
  if (!text) return undefined;
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** `cve` and `capec` are reserved source names that require an external id (STIX 2.1 §2.5). */
function sourceName(feedName: string): string {
  return /^(cve|capec)$/i.test(feedName) ? `${feedName} feed` : feedName;
}

function sourceReference(s: IocSource): StixExternalReference {
  const ref: StixExternalReference = { source_name: sourceName(s.feed_name) };
  if (s.origin === 'article') {
    ref.description = s.article_title ? `${s.category} article: ${s.article_title}` : `${s.category} article`;
    const url = webUrl(s.article_url) ?? webUrl(s.reference_url);
    if (url !== undefined) ref.url = url;
  } else {
    ref.description = `${s.category} feed`;
    const url = webUrl(s.reference_url);
    if (url !== undefined) ref.url = url;
  }
  return ref;
}

function attackReference(attackId: string): StixExternalReference {
  return { source_name: 'mitre-attack', url: attackUrl(attackId), external_id: attackId };
}

function addPhase(phases: string[], phase: string): void {
  if (!phases.includes(phase)) phases.push(phase);
}

/** Kill-chain phases of ATT&CK ids: a technique's tactics, or a tactic itself. */
function killChain(attackIds: readonly string[]): StixKillChainPhase[] | undefined {
  // Arrays, not Sets, and no closures (tsx names every closure it creates, per call): an IOC
  // names a handful of techniques, and this runs for every object served.
  const phases: string[] = [];
  for (const id of attackIds) {
    const tactic = tacticShortName(id);
    if (tactic !== null) addPhase(phases, tactic);
    else for (const t of techniqueTactics(id)) addPhase(phases, t);
  }
  if (phases.length === 0) return undefined;
  return phases.map((phase_name) => ({ kill_chain_name: 'mitre-attack', phase_name }));
}

/** Adds `label` (trimmed) unless it is empty or already in `labels` whatever its case (`lower` holds their lower-case forms). */
function addLabel(labels: string[], lower: string[], label: string | null): void {
  const l = label?.trim();
  if (!l) return;
  const key = l.toLowerCase();
  if (lower.includes(key)) return;
  lower.push(key);
  labels.push(l);
}

function labelsOf(record: IocRecord): string[] | undefined {
  const labels: string[] = [];
  const lower: string[] = [];
  for (const t of record.tags) addLabel(labels, lower, t);
  addLabel(labels, lower, record.threat_type);
  addLabel(labels, lower, record.malware);
  for (const s of record.industries) addLabel(labels, lower, `sector:${s}`);
  return labels.length > 0 ? labels : undefined;
}

function describe(record: IocRecord, kind: string): string {
  const parts: string[] = [];
  const context = record.context?.trim();
  if (context) parts.push(/[.!?]$/.test(context) ? context : `${context}.`);
  const feeds: string[] = [];
  for (const s of record.sources) if (!feeds.includes(s.feed_name)) feeds.push(s.feed_name);
  if (feeds.length === 0) feeds.push(record.source.feed_name);
  parts.push(`${kind} reported by ${feeds.join(', ')}.`);
  if (record.threat_type) parts.push(`Threat type: ${record.threat_type}.`);
  if (record.malware) parts.push(`Malware: ${record.malware}.`);
  if (record.status !== 'active') parts.push(`Status: ${record.status}.`);
  return parts.join(' ');
}

/** `created` must not follow `modified` (STIX 2.1 §3.2), whatever a feed said about first_seen. */
function createdAndModified(record: IocRecord): { created: string; modified: string } {
  const modified = stixTimestamp(record.updated_at);
  const firstSeen = stixTimestamp(record.first_seen);
  return { created: firstSeen <= modified ? firstSeen : modified, modified };
}

function renderIndicator(record: IocRecord, pattern: string): StixIndicator {
  const { created, modified } = createdAndModified(record);
  const validFrom = stixTimestamp(record.first_seen);
  const validUntil = record.expires_at === null ? undefined : stixTimestamp(record.expires_at);
  const refs = record.sources.map(sourceReference);
  for (const t of record.mitre_techniques) refs.push(attackReference(t));
  const labels = labelsOf(record);
  const phases = killChain(record.mitre_techniques);
  const indicator: StixIndicator = {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${record.id}`,
    created_by_ref: STIX_PRODUCER_ID,
    created,
    modified,
    name: record.value,
    description: describe(record, kindOf(record)),
    indicator_types: ['malicious-activity'],
    pattern,
    pattern_type: 'stix',
    pattern_version: '2.1',
    valid_from: validFrom,
    confidence: STIX_CONFIDENCE[record.confidence],
    object_marking_refs: [TLP_MARKING[record.tlp].id],
  };
  // STIX 2.1 §4.7: valid_until MUST be later than valid_from; an expiry at or before the first
  // sighting says nothing useful, so it is left out rather than made up.
  if (validUntil !== undefined && validUntil > validFrom) indicator.valid_until = validUntil;
  if (phases) indicator.kill_chain_phases = phases;
  if (labels) indicator.labels = labels;
  if (refs.length > 0) indicator.external_references = refs;
  if (record.status !== 'active') indicator.revoked = true;
  return indicator;
}

function renderVulnerability(record: IocRecord): StixVulnerability {
  const { created, modified } = createdAndModified(record);
  const refs: StixExternalReference[] = [
    { source_name: 'cve', url: `https://nvd.nist.gov/vuln/detail/${record.value}`, external_id: record.value },
    ...record.sources.map(sourceReference),
  ];
  const labels = labelsOf(record);
  const vulnerability: StixVulnerability = {
    type: 'vulnerability',
    spec_version: '2.1',
    id: `vulnerability--${record.id}`,
    created_by_ref: STIX_PRODUCER_ID,
    created,
    modified,
    name: record.value,
    description: describe(record, kindOf(record)),
    confidence: STIX_CONFIDENCE[record.confidence],
    external_references: refs,
    object_marking_refs: [TLP_MARKING[record.tlp].id],
  };
  if (labels) vulnerability.labels = labels;
  if (record.status !== 'active') vulnerability.revoked = true;
  return vulnerability;
}

function renderAttackPattern(record: IocRecord): StixAttackPattern {
  const { created, modified } = createdAndModified(record);
  // ATT&CK's own STIX names sub-techniques by their own name (`Web Protocols`), so do we.
  const name = isTacticId(record.value) ? tacticName(record.value) : techniqueName(record.value);
  const refs = [attackReference(record.value), ...record.sources.map(sourceReference)];
  const labels = labelsOf(record);
  const phases = killChain([record.value]);
  const pattern: StixAttackPattern = {
    type: 'attack-pattern',
    spec_version: '2.1',
    id: `attack-pattern--${record.id}`,
    created_by_ref: STIX_PRODUCER_ID,
    created,
    modified,
    name: name ?? record.value,
    description: describe(record, kindOf(record)),
    confidence: STIX_CONFIDENCE[record.confidence],
    external_references: refs,
    object_marking_refs: [TLP_MARKING[record.tlp].id],
  };
  if (phases) pattern.kill_chain_phases = phases;
  if (labels) pattern.labels = labels;
  if (record.status !== 'active') pattern.revoked = true;
  return pattern;
}

/**
 * The STIX 2.1 object of one IOC version.
 *
 * @example renderStixObject(record).pattern // "[ipv4-addr:value = '198.51.100.7']"
 */
export function renderStixObject(record: IocRecord): StixIocObject {
  if (record.type === 'cve') return renderVulnerability(record);
  if (record.type === 'mitre-attack') return renderAttackPattern(record);
  const pattern = stixPattern(record.type, record.value);
  if (pattern === null) throw new Error(`no STIX pattern for IOC type ${record.type}`);
  return renderIndicator(record, pattern);
}

/** The STIX 2.1 JSON text of one IOC version (what TAXII pages and bundles concatenate). */
export function renderStixJson(record: IocRecord): string {
  return JSON.stringify(renderStixObject(record));
}
