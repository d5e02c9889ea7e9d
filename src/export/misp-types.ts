import type { IocRecord } from '../domain/ioc.js';
import type { IocType } from '../domain/vocabulary.js';

/**
 * MISP attribute type and category of each IOC (MISP describeTypes.json `category_type_mappings`
 * and `sane_defaults`; PyMISP ships the same file).
 *
 * IP addresses are `ip-dst` unless the feed says the address is the one attacking. MISP's
 * `ip-dst` is "a destination IP address of the attacker or C&C server" and `ip-src` "a source IP
 * address of the attacker". Our IP feeds list C2 servers (Feodo, ThreatFox botnet_cc), payload
 * hosts (URLhaus) and hijacked netblocks (Spamhaus DROP): the victim connects *to* them, so they
 * are destinations, and MISP's IDS exports (Suricata, Snort, Zeek) then write the rule in the
 * right direction (`$HOME_NET -> ip`). The hosted product's blanket `ip-src` would make those
 * rules watch the wrong side of the connection. Scanners, brute-forcers and DDoS sources connect
 * in, so they stay `ip-src`.
 */

export type MispAttributeType =
  | 'ip-dst'
  | 'ip-src'
  | 'domain'
  | 'url'
  | 'md5'
  | 'sha1'
  | 'sha256'
  | 'sha512'
  | 'email-src'
  | 'vulnerability'
  | 'text';

export type MispCategory = 'Network activity' | 'Payload delivery' | 'External analysis';

/** Threat labels (normalized to `a_b`) whose IP addresses are the source of the attack. */
const INBOUND_THREATS: ReadonlySet<string> = new Set([
  'scanner',
  'scanning',
  'scan',
  'brute_force',
  'bruteforce',
  'ddos',
  'dos',
  'attacker',
  'spam',
  'spammer',
  'ssh_bruteforce',
  'exploit_attempt',
]);

function threatKey(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Whether an IP IOC is where attacks come from (ip-src) rather than where victims connect (ip-dst). */
export function isInboundThreat(threatType: string | null): boolean {
  return threatType !== null && INBOUND_THREATS.has(threatKey(threatType));
}

const FIXED: Readonly<Record<Exclude<IocType, 'ipv4' | 'ipv6'>, MispAttributeType>> = {
  domain: 'domain',
  url: 'url',
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha512: 'sha512',
  email: 'email-src',
  cve: 'vulnerability',
  // MISP has no attribute type for an ATT&CK technique id; the technique itself is carried by
  // the attribute's galaxy tag, the text attribute keeps "one attribute per IOC".
  'mitre-attack': 'text',
};

/** The MISP attribute type of an IOC. */
export function mispTypeOf(record: Pick<IocRecord, 'type' | 'threat_type'>): MispAttributeType {
  if (record.type === 'ipv4' || record.type === 'ipv6') return isInboundThreat(record.threat_type) ? 'ip-src' : 'ip-dst';
  return FIXED[record.type];
}

const CATEGORY: Readonly<Record<MispAttributeType, MispCategory>> = {
  'ip-dst': 'Network activity',
  'ip-src': 'Network activity',
  domain: 'Network activity',
  url: 'Network activity',
  md5: 'Payload delivery',
  sha1: 'Payload delivery',
  sha256: 'Payload delivery',
  sha512: 'Payload delivery',
  'email-src': 'Payload delivery',
  vulnerability: 'External analysis',
  text: 'External analysis',
};

export function mispCategoryOf(type: MispAttributeType): MispCategory {
  return CATEGORY[type];
}

/** Types an IDS can match on; the others (vulnerability, text) are context, never `to_ids`. */
const DETECTABLE: ReadonlySet<MispAttributeType> = new Set([
  'ip-dst',
  'ip-src',
  'domain',
  'url',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'email-src',
]);

/**
 * MISP's `to_ids` ("use for detection"): detectable types while the IOC is active. An expired,
 * revoked or allowlisted IOC (exported with `status=all`) stays in the event for the record but
 * must not feed detection.
 */
export function mispToIds(type: MispAttributeType, record: Pick<IocRecord, 'status'>): boolean {
  return DETECTABLE.has(type) && record.status === 'active';
}
