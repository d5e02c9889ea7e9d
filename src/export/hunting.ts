import type { IocType } from '../domain/vocabulary.js';

/**
 * Hunting queries for one observable, as `GET /api/v1/lookup` returns them: a Splunk SPL search
 * over the Common Information Model fields and a Microsoft Sentinel / Defender KQL query over the
 * tables that hold that kind of observable. Pure: the same (type, value) always renders the same
 * text.
 *
 * Quoting: the value is embedded exactly once per string literal and escaped for that language
 * (SPL: `\` → `\\`, `"` → `\"`; KQL: the same plus control characters), so any value, even a URL
 * holding quotes and backslashes, round-trips. SPL's search command treats `*` as a wildcard even
 * inside quotes and has no escape for it, so a value holding `*` also gets an exact `| where`
 * filter (where `==` compares literally).
 */
export interface HuntingQueries {
  detection_guidance: string;
  splunk_query: string;
  kql_query: string;
}

/** A double-quoted SPL string literal holding exactly `value`. */
export function splString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const KQL_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A double-quoted KQL string literal holding exactly `value`. */
export function kqlString(value: string): string {
  return `"${value.replace(/[\\"\n\r\t]/g, (c) => KQL_ESCAPES[c] ?? c)}"`;
}

interface SplPlan {
  /** CIM (and common add-on) fields that may hold the observable. */
  fields: string[];
  /** Extra search terms beyond `field="value"`, already quoted. */
  extra?: (v: string) => string[];
}

const HASH_SYSMON_NAME: Partial<Record<IocType, string>> = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256' };

const SPL_PLANS: Record<IocType, SplPlan> = {
  ipv4: { fields: ['src_ip', 'dest_ip', 'src', 'dest'] },
  ipv6: { fields: ['src_ip', 'dest_ip', 'src', 'dest'] },
  domain: {
    fields: ['query', 'url_domain', 'site', 'dest'],
    // DNS lookups of subdomains of a malicious domain are hits too.
    extra: (v) => [`query=${splString(`*.${v}`)}`],
  },
  url: { fields: ['url', 'uri'] },
  md5: { fields: ['file_hash', 'md5', 'hash'], extra: (v) => sysmonHashes('md5', v) },
  sha1: { fields: ['file_hash', 'sha1', 'hash'], extra: (v) => sysmonHashes('sha1', v) },
  sha256: { fields: ['file_hash', 'sha256', 'hash'], extra: (v) => sysmonHashes('sha256', v) },
  sha512: { fields: ['file_hash', 'sha512', 'hash'] },
  cve: { fields: ['cve', 'vulnerability', 'signature_id'], extra: (v) => [`signature=${splString(`*${v}*`)}`] },
  email: { fields: ['src_user', 'recipient', 'sender', 'user'] },
  'mitre-attack': {
    fields: ['annotations.mitre_attack', 'annotations.mitre_attack.mitre_technique_id', 'mitre_technique_id'],
  },
};

/** Sysmon logs every hash of an image in one `Hashes` field: `SHA1=…,MD5=…,SHA256=…`. */
function sysmonHashes(type: IocType, value: string): string[] {
  const name = HASH_SYSMON_NAME[type];
  return name ? [`Hashes=${splString(`*${name}=${value}*`)}`] : [];
}

function splunkQuery(type: IocType, value: string): string {
  const plan = SPL_PLANS[type];
  const literal = splString(value);
  const terms = [...plan.fields.map((f) => `${f}=${literal}`), ...(plan.extra?.(value) ?? [])];
  const search = `index=* (${terms.join(' OR ')})`;
  if (!value.includes('*')) return search;
  return `${search}\n| where ${plan.fields.map((f) => `'${f}'==${literal}`).join(' OR ')}`;
}

/** One `(Table | where …)` leg of a KQL union; `ioc` is the `let` variable holding the value. */
interface KqlLeg {
  table: string;
  where: string;
}

function ipLegs(type: 'ipv4' | 'ipv6', value: string): KqlLeg[] {
  const cidr = value.includes('/');
  const match = (col: string): string => {
    if (type === 'ipv4') return cidr ? `ipv4_is_in_range(${col}, ioc)` : `${col} == ioc`;
    // IPv6 is logged in many spellings; compare addresses, not strings.
    return cidr ? `ipv6_is_in_range(${col}, ioc)` : `ipv6_is_match(${col}, ioc)`;
  };
  return [
    { table: 'CommonSecurityLog', where: `${match('SourceIP')} or ${match('DestinationIP')}` },
    { table: 'DeviceNetworkEvents', where: `${match('RemoteIP')} or ${match('LocalIP')}` },
  ];
}

function hashLegs(column: string): KqlLeg[] {
  return [
    { table: 'DeviceFileEvents', where: `${column} =~ ioc` },
    { table: 'DeviceProcessEvents', where: `${column} =~ ioc` },
    { table: 'DeviceImageLoadEvents', where: `${column} =~ ioc` },
    { table: 'CommonSecurityLog', where: 'FileHash =~ ioc' },
  ];
}

function kqlLegs(type: IocType, value: string): KqlLeg[] {
  switch (type) {
    case 'ipv4':
    case 'ipv6':
      return ipLegs(type, value);
    case 'domain':
      return [
        { table: 'DnsEvents', where: 'Name =~ ioc or Name endswith strcat(".", ioc)' },
        { table: 'DeviceNetworkEvents', where: 'RemoteUrl =~ ioc or RemoteUrl has ioc' },
        { table: 'CommonSecurityLog', where: 'DestinationHostName =~ ioc or RequestURL has ioc' },
      ];
    case 'url':
      return [
        { table: 'CommonSecurityLog', where: 'RequestURL == ioc' },
        { table: 'DeviceNetworkEvents', where: 'RemoteUrl == ioc' },
        { table: 'UrlClickEvents', where: 'Url == ioc' },
      ];
    case 'md5':
      return hashLegs('MD5');
    case 'sha1':
      return hashLegs('SHA1');
    case 'sha256':
      return hashLegs('SHA256');
    case 'sha512':
      // Defender tables carry no SHA-512; CEF sources put any hash in FileHash.
      return [{ table: 'CommonSecurityLog', where: 'FileHash =~ ioc' }];
    case 'cve':
      return [
        { table: 'DeviceTvmSoftwareVulnerabilities', where: 'CveId == ioc' },
        { table: 'SecurityAlert', where: 'Description has ioc or Entities has ioc' },
      ];
    case 'email':
      return [
        {
          table: 'EmailEvents',
          where: 'SenderFromAddress =~ ioc or SenderMailFromAddress =~ ioc or RecipientEmailAddress =~ ioc',
        },
      ];
    case 'mitre-attack':
      return [
        { table: 'SecurityAlert', where: 'Techniques has ioc' },
        { table: 'SecurityIncident', where: 'AdditionalData has ioc' },
      ];
  }
}

function kqlQuery(type: IocType, value: string): string {
  const legs = kqlLegs(type, value);
  const head = `let ioc = ${kqlString(value)};`;
  const [only] = legs;
  if (legs.length === 1 && only) return `${head}\n${only.table}\n| where ${only.where}`;
  // isfuzzy: a workspace without one of the tables still runs the others.
  const body = legs.map((l) => `    (${l.table} | where ${l.where})`).join(',\n');
  return `${head}\nunion isfuzzy=true\n${body}`;
}

const GUIDANCE: Record<IocType, string> = {
  ipv4: 'Search firewall, proxy and EDR network telemetry for connections to or from this address; block it at the perimeter and review hosts that connected.',
  ipv6: 'Search firewall, proxy and EDR network telemetry for connections to or from this address; block it at the perimeter and review hosts that connected.',
  domain: 'Search DNS and proxy logs for lookups of this domain and its subdomains; sinkhole or block it and investigate resolving hosts.',
  url: 'Search proxy and web gateway logs and email click events for this exact URL; block it and review users who requested it.',
  md5: 'Search EDR file and process events for this hash; quarantine matching files and investigate the hosts and parent processes.',
  sha1: 'Search EDR file and process events for this hash; quarantine matching files and investigate the hosts and parent processes.',
  sha256: 'Search EDR file and process events for this hash; quarantine matching files and investigate the hosts and parent processes.',
  sha512: 'Search file-hash telemetry (AV, sandbox, CEF FileHash) for this hash; quarantine matching files.',
  cve: 'Find assets exposed to this vulnerability in vulnerability-management data, patch or mitigate them, and review alerts that mention it.',
  email: 'Search mail gateway logs for messages from or to this address; block the sender and review recipients who interacted.',
  'mitre-attack': 'Review alerts mapped to this ATT&CK technique and check that detections cover it.',
};

/**
 * The hunting queries for one canonical observable.
 *
 * @example
 * huntingQueries('ipv4', '45.137.21.9').splunk_query
 * // → 'index=* (src_ip="45.137.21.9" OR dest_ip="45.137.21.9" OR src="45.137.21.9" OR dest="45.137.21.9")'
 */
export function huntingQueries(type: IocType, value: string): HuntingQueries {
  return { detection_guidance: GUIDANCE[type], splunk_query: splunkQuery(type, value), kql_query: kqlQuery(type, value) };
}
