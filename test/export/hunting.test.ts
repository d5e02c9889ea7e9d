import { describe, expect, it } from 'vitest';
import { huntingQueries, kqlString, splString } from '../../src/export/hunting.js';
import { IOC_TYPES, type IocType } from '../../src/domain/vocabulary.js';
import { literals } from '../api/search-fixtures.js';

const HOSTILE = [
  'https://evil.example/a"b\\c?x=1',
  'https://evil.example/"; | delete index=*',
  '\\\\',
  '"',
  'https://evil.example/line\nbreak\ttab',
  "https://evil.example/it's",
];

describe('splString / kqlString', () => {
  for (const v of HOSTILE) {
    it(`round-trips ${JSON.stringify(v)}`, () => {
      if (!/[\n\t]/.test(v)) expect(literals(splString(v))).toEqual([v]);
      expect(literals(kqlString(v))).toEqual([v]);
    });
  }
  it('escapes exactly quote and backslash for SPL', () => {
    expect(splString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
  it('escapes control characters for KQL', () => {
    expect(kqlString('a\nb')).toBe('"a\\nb"');
  });
});

const SAMPLES: Record<IocType, string> = {
  ipv4: '45.137.21.9',
  ipv6: '2a01:4f8::1',
  domain: 'login-verify.example',
  url: 'https://evil.example/a"b\\c',
  md5: 'd41d8cd98f00b204e9800998ecf8427e',
  sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
  sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  sha512: 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
  cve: 'CVE-2024-3400',
  email: 'billing@evil.example',
  'mitre-attack': 'T1071.001',
};

describe('huntingQueries', () => {
  for (const type of IOC_TYPES) {
    it(`${type}: every query names the value and every literal round-trips`, () => {
      const v = SAMPLES[type];
      const q = huntingQueries(type, v);
      expect(q.detection_guidance.length).toBeGreaterThan(20);
      expect(q.splunk_query.startsWith('index=* (')).toBe(true);
      // The first literal of each query is the observable itself.
      expect(literals(q.splunk_query)[0]).toBe(v);
      expect(literals(q.kql_query)[0]).toBe(v);
      expect(q.kql_query.startsWith(`let ioc = ${kqlString(v)};`)).toBe(true);
      // KQL embeds the value once and refers to it by name.
      expect(literals(q.kql_query).filter((l) => l === v)).toHaveLength(1);
    });
  }

  it('uses the documented SPL shape for an IP', () => {
    expect(huntingQueries('ipv4', '1.2.3.4').splunk_query).toBe(
      'index=* (src_ip="1.2.3.4" OR dest_ip="1.2.3.4" OR src="1.2.3.4" OR dest="1.2.3.4")',
    );
  });

  it('queries CommonSecurityLog and DeviceNetworkEvents for an IP', () => {
    const kql = huntingQueries('ipv4', '1.2.3.4').kql_query;
    expect(kql).toContain('CommonSecurityLog | where SourceIP == ioc or DestinationIP == ioc');
    expect(kql).toContain('DeviceNetworkEvents');
    expect(kql).toContain('union isfuzzy=true');
  });

  it('matches CIDR blocks by range', () => {
    expect(huntingQueries('ipv4', '45.137.20.0/22').kql_query).toContain('ipv4_is_in_range(SourceIP, ioc)');
    expect(huntingQueries('ipv6', '2a01:4f8::/32').kql_query).toContain('ipv6_is_in_range(RemoteIP, ioc)');
  });

  it('picks DNS for domains, proxy for URLs and file hashes for hashes', () => {
    expect(huntingQueries('domain', 'a.example').kql_query).toContain('DnsEvents');
    expect(huntingQueries('domain', 'a.example').splunk_query).toContain('query="*.a.example"');
    expect(huntingQueries('url', 'https://a.example/x').splunk_query).toContain('url="https://a.example/x"');
    expect(huntingQueries('sha256', SAMPLES.sha256).kql_query).toContain('SHA256 =~ ioc');
    expect(huntingQueries('md5', SAMPLES.md5).splunk_query).toContain(`Hashes="*MD5=${SAMPLES.md5}*"`);
  });

  it('adds an exact where filter when the value holds an SPL wildcard', () => {
    const q = huntingQueries('url', 'https://a.example/*x').splunk_query;
    expect(q).toContain(`| where 'url'=="https://a.example/*x" OR 'uri'=="https://a.example/*x"`);
    expect(huntingQueries('url', 'https://a.example/x').splunk_query).not.toContain('| where');
  });

  it('escapes a URL holding a quote and a backslash so the value round-trips', () => {
    const v = 'https://evil.example/p"q\\r';
    const q = huntingQueries('url', v);
    expect(q.splunk_query).toContain('url="https://evil.example/p\\"q\\\\r"');
    expect(q.kql_query).toContain('let ioc = "https://evil.example/p\\"q\\\\r";');
    for (const l of literals(q.splunk_query)) expect(l).toBe(v);
  });
});
