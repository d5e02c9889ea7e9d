import { iocId } from '../../src/domain/ids.js';
import type { IocRecord } from '../../src/domain/ioc.js';
import type { IocType } from '../../src/domain/vocabulary.js';

/** An IOC record as the store returns it, with overridable fields, for the Sigma tests and bench. */
export function sigmaTestIoc(type: IocType, value: string, over: Partial<IocRecord> = {}): IocRecord {
  return {
    id: iocId(type, value),
    type,
    value,
    confidence: 'high',
    first_seen: '2024-01-02T03:04:05Z',
    last_seen: '2024-03-01T00:00:00Z',
    source: {
      feed_name: 'ThreatFox',
      category: 'community',
      origin: 'feed',
      reference_url: 'https://threatfox.abuse.ch/ioc/1234/',
      article_id: null,
      article_title: null,
      article_url: null,
    },
    context: null,
    tags: [],
    mitre_techniques: ['T1071'],
    sources: [
      {
        feed_name: 'ThreatFox',
        category: 'community',
        origin: 'feed',
        reference_url: 'https://threatfox.abuse.ch/ioc/1234/',
        article_id: null,
        article_title: null,
        article_url: null,
        first_seen: '2024-01-02T03:04:05Z',
        last_seen: '2024-03-01T00:00:00Z',
        confidence: 'high',
        context: null,
      },
    ],
    industries: [],
    threat_type: 'botnet_cc',
    malware: 'Emotet',
    tlp: 'green',
    expires_at: null,
    status: 'active',
    updated_at: '2024-03-01T00:00:00Z',
    version: 1,
    ...over,
  };
}

/** Values chosen to break naive YAML or Sigma writers, by IOC type. */
export const HOSTILE_IOCS: readonly IocRecord[] = [
  sigmaTestIoc('ipv4', '203.0.113.42'),
  sigmaTestIoc('ipv4', '198.51.100.0/24', { malware: null, threat_type: null }),
  sigmaTestIoc('ipv6', '2001:20:30:40:50:10:10:10'),
  sigmaTestIoc('ipv6', '2001:db8::/32'),
  sigmaTestIoc('ipv6', '::1'),
  sigmaTestIoc('domain', 'no'),
  sigmaTestIoc('domain', 'yes.example'),
  sigmaTestIoc('domain', '0123'),
  sigmaTestIoc('domain', 'xn--80ak6aa92e.com'),
  sigmaTestIoc('url', "http://evil.example/it's/a.php?id=1*x&y=\\z"),
  sigmaTestIoc('url', 'http://evil.example/line\nbreak\ttab\r\u0085\u2028end'),
  sigmaTestIoc('url', 'http://evil.example/#: - [ ] { } > | % @ ` " ,&*!'),
  sigmaTestIoc('url', `http://evil.example/${'a'.repeat(400)}`),
  sigmaTestIoc('url', 'http://evil.example/--- ...'),
  sigmaTestIoc('md5', '12345678901234567890123456789012'),
  sigmaTestIoc('sha1', '0000000000000000000000000000000000000123'),
  sigmaTestIoc('sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
  sigmaTestIoc('domain', 'quotes.example', {
    malware: "O'Brien \"loader\"\n---\n- evil: *alias",
    threat_type: 'C&C',
    context: "line one\nline two: 'quoted' # not a comment\u0000",
    tags: ['CVE-2021-44228', 'cve-2023-1234', 'not-a-cve'],
    mitre_techniques: ['T1071.001', 'T1105', 'TA0011', 'bogus'],
    tlp: 'amber+strict',
  }),
];
