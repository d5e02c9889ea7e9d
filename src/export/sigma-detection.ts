import type { IocType } from '../domain/vocabulary.js';
import { sigmaMatchValue } from './sigma-yaml.js';

/**
 * Which log source and field each IOC type is matched on: only log sources and fields of the
 * SigmaHQ taxonomy, in the forms SigmaHQ's own IOC rules use, so every pySigma pipeline that
 * knows the taxonomy maps them (research/sigma.md §2).
 * - IPs: `network_connection` (Sysmon event 3) `DestinationIp`; CIDR blocks with `|cidr`.
 * - Domains: `dns_query` (Sysmon event 22) `QueryName`, the domain itself or any subdomain.
 *   Never the generic `dns` category, whose field is `query`: mixing the two breaks mappings.
 * - URLs: `proxy` `c-uri`, the URL requested by the client.
 * - MD5/SHA1/SHA256: `process_creation` `Hashes|contains: 'SHA256=<HEX>'`, the SigmaHQ idiom
 *   for Sysmon's `Hashes` field, upper-case hex as Sysmon writes it (Elastic keyword fields
 *   compare case-sensitively).
 * CVE, email, SHA512 and ATT&CK technique IOCs have no log source that can match them
 * (SIGMA_UNSUPPORTED says why); the export leaves them out and counts them instead.
 */

export type SigmaRuleType = 'ipv4' | 'ipv6' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256';

export const SIGMA_RULE_TYPES: readonly SigmaRuleType[] = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256'];

/** Why each remaining IOC type gets no rule (shown to users in docs and the export's comment). */
export const SIGMA_UNSUPPORTED: Readonly<Record<Exclude<IocType, SigmaRuleType>, string>> = {
  sha512: 'Sysmon and the SIEM mappings record MD5, SHA1, SHA256 and IMPHASH file hashes, never SHA512',
  cve: 'no log a SIEM collects carries a CVE id to match; CVEs appear as cve.* tags on the other rules',
  email: 'the Sigma taxonomy defines no email log source or sender/recipient field',
  'mitre-attack': 'an ATT&CK technique is a behaviour, not a value to match; techniques appear as attack.* tags',
};

export function isSigmaRuleType(type: IocType): type is SigmaRuleType {
  return (SIGMA_RULE_TYPES as readonly IocType[]).includes(type);
}

const HASH_LABEL = { md5: 'MD5', sha1: 'SHA1', sha256: 'SHA256' } as const;

export interface SigmaLogsource {
  category: 'network_connection' | 'dns_query' | 'proxy' | 'process_creation';
  product?: 'windows';
}

/** One `field|modifiers: 'value'` pair; `value` is already a Sigma match value (escaped). */
export interface SigmaMatch {
  field: string;
  value: string;
}

/** What every rule for one kind of IOC shares: log source, wording and false positives. */
export interface SigmaRuleShape {
  logsource: SigmaLogsource;
  /** Title words before the subject: `Network Connection To`. */
  titleAction: string;
  /** What the IOC is, in the title: `IP`, `IP Range`, `Domain`, `URL`, `File With SHA256`. */
  titleSubject: string;
  /** The description's opening, completed by the value: `a network connection to the IP address`. */
  activity: string;
  /** Words after the value in the description, if any. */
  activityTail: string;
  falsepositives: readonly string[];
}

export interface SigmaDetectionPlan {
  shape: SigmaRuleShape;
  /**
   * The single search identifier `selection`: `all` is a map (every pair must match), `any` a
   * list of one-pair maps (any pair may match), which every backend renders as OR.
   */
  selection: { all: SigmaMatch[] } | { any: SigmaMatch[] };
}

const WINDOWS = 'windows';

const SHAPES = {
  ip: {
    logsource: { category: 'network_connection', product: WINDOWS },
    titleAction: 'Network Connection To',
    titleSubject: 'IP',
    activity: 'a network connection to the IP address',
    activityTail: '',
    falsepositives: ['Shared hosting, CDN or cloud addresses that also serve legitimate sites'],
  },
  cidr: {
    logsource: { category: 'network_connection', product: WINDOWS },
    titleAction: 'Network Connection To',
    titleSubject: 'IP Range',
    activity: 'a network connection to an address in the range',
    activityTail: '',
    falsepositives: ['Legitimate hosts inside the listed network range'],
  },
  domain: {
    logsource: { category: 'dns_query', product: WINDOWS },
    titleAction: 'DNS Query For',
    titleSubject: 'Domain',
    activity: 'a DNS query for the domain',
    activityTail: ' or any of its subdomains',
    falsepositives: ['Legitimate use of the domain or one of its subdomains, e.g. after a takedown or re-registration'],
  },
  url: {
    logsource: { category: 'proxy' },
    titleAction: 'Proxy Request To',
    titleSubject: 'URL',
    activity: 'a proxy request for the URL',
    activityTail: '',
    falsepositives: ['Legitimate content served at the same URL after the site was cleaned up'],
  },
  ...hashShapes(),
} as const satisfies Record<string, SigmaRuleShape>;

function hashShapes(): Record<keyof typeof HASH_LABEL, SigmaRuleShape> {
  const shape = (label: string): SigmaRuleShape => ({
    logsource: { category: 'process_creation', product: WINDOWS },
    titleAction: 'Execution Of',
    titleSubject: `File With ${label}`,
    activity: `the execution of a file with the ${label} hash`,
    activityTail: '',
    falsepositives: ['Unlikely'],
  });
  return { md5: shape(HASH_LABEL.md5), sha1: shape(HASH_LABEL.sha1), sha256: shape(HASH_LABEL.sha256) };
}

/**
 * The log source and detection for one IOC, or null for the types Sigma cannot express.
 *
 * @example sigmaDetectionPlan('domain', 'evil.test')?.selection
 * // { any: [{ field: 'QueryName', value: 'evil.test' }, { field: 'QueryName|endswith', value: '.evil.test' }] }
 */
export function sigmaDetectionPlan(type: IocType, value: string): SigmaDetectionPlan | null {
  switch (type) {
    case 'ipv4':
    case 'ipv6': {
      const block = value.includes('/');
      return {
        shape: block ? SHAPES.cidr : SHAPES.ip,
        selection: { all: [{ field: block ? 'DestinationIp|cidr' : 'DestinationIp', value: sigmaMatchValue(value) }] },
      };
    }
    case 'domain':
      return {
        shape: SHAPES.domain,
        selection: {
          any: [
            { field: 'QueryName', value: sigmaMatchValue(value) },
            { field: 'QueryName|endswith', value: sigmaMatchValue(`.${value}`) },
          ],
        },
      };
    case 'url':
      return { shape: SHAPES.url, selection: { all: [{ field: 'c-uri', value: sigmaMatchValue(value) }] } };
    case 'md5':
    case 'sha1':
    case 'sha256':
      return {
        shape: SHAPES[type],
        selection: { all: [{ field: 'Hashes|contains', value: sigmaMatchValue(`${HASH_LABEL[type]}=${value.toUpperCase()}`) }] },
      };
    default:
      return null;
  }
}
