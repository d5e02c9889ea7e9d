import { describe, expect, it } from 'vitest';
import { stixParser } from '../../../src/ingest/parsers/stix.js';
import { hasSharedData } from '../../support/shared-data.js';
import { collect, sharedStream, textStream } from '../parse-helpers.js';

function bundle(...objects: object[]): string {
  return JSON.stringify({ type: 'bundle', id: 'bundle--1', objects });
}
function indicator(pattern: string, extra: object = {}): object {
  return { type: 'indicator', spec_version: '2.1', id: 'indicator--1', pattern, pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', ...extra };
}

describe('STIX parser: which patterns are one indicator', () => {
  it.each([
    ["[ipv4-addr:value = '198.51.100.1']", 'ipv4', '198.51.100.1'],
    ["[ipv4-addr:value = '223.166.0.0/15']", 'ipv4', '223.166.0.0/15'],
    ["[ ipv6-addr:value = '2001:db8::1' ]", 'ipv6', '2001:db8::1'],
    ["[domain-name:value = 'evil.example']", 'domain', 'evil.example'],
    ["[url:value = 'http://x.example/it\\'s']", 'url', "http://x.example/it's"],
    ["[email-addr:value = 'a@b.example']", 'email', 'a@b.example'],
    ["[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']", 'sha256', 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c'],
    ["[file:hashes.md5 = '001dd76872d80801692ff942308c64e6']", 'md5', '001dd76872d80801692ff942308c64e6'],
    ["[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']", 'sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ["[file:hashes.SHA512 = 'ab']", 'sha512', 'ab'],
  ] as const)('%s → %s', async (pattern, type, value) => {
    const got = await collect(stixParser, textStream(bundle(indicator(pattern)), 50));
    expect(got.indicators.map((i) => [i.type, i.value])).toEqual([[type, value]]);
  });

  it.each([
    ["[ipv4-addr:value = '1.2.3.4'] AND [domain-name:value = 'x.example']", /single equality/],
    ["[ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value = '5.6.7.8']", /single equality/],
    ["[email-message:subject MATCHES '^Invoice']", /single equality/],
    ["[file:name = 'report.exe']", /file:name is not an IOC type/],
    ["[x509-certificate:serial_number = '01']", /x509-certificate:serial_number is not an IOC type/],
    ["[ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS", /single equality/],
  ])('%s is a skip', async (pattern, reason) => {
    const got = await collect(stixParser, textStream(bundle(indicator(pattern))));
    expect(got.indicators).toEqual([]);
    expect(got.skips).toHaveLength(1);
    expect(got.skips[0]?.message).toMatch(reason);
  });

  it('revoked indicators and non-STIX pattern types are skips; a vulnerability with a CVE is a cve', async () => {
    const text = bundle(
      { type: 'malware', id: 'malware--1', name: 'x' },
      indicator("[ipv4-addr:value = '1.2.3.4']", { revoked: true }),
      indicator('title: sigma rule', { pattern_type: 'sigma' }),
      {
        type: 'vulnerability',
        id: 'vulnerability--1',
        name: 'CVE-2021-44228',
        created: '2021-12-10T00:00:00Z',
        description: 'Log4Shell',
        external_references: [{ source_name: 'cve', external_id: 'CVE-2021-44228', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228' }],
      },
      { type: 'vulnerability', id: 'vulnerability--2', name: 'no id' },
    );
    const got = await collect(stixParser, textStream(text));
    expect(got.indicators).toEqual([
      {
        kind: 'indicator',
        line: 4,
        value: 'CVE-2021-44228',
        type: 'cve',
        first_seen: '2021-12-10T00:00:00.000Z',
        tags: [],
        tlp: undefined,
        context: 'Log4Shell',
        reference_url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
      },
    ]);
    expect(got.skips.map((s) => s.line)).toEqual([2, 3, 5]);
  });

  it('maps labels, confidence, TLP 2.0 marking, ATT&CK references, name and description', async () => {
    const text = bundle(
      indicator("[domain-name:value = 'c2.example']", {
        name: 'C2 domain',
        description: 'Beacons every 60 s',
        labels: ['c2', 'apt-x'],
        confidence: 80,
        object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
        external_references: [{ source_name: 'mitre-attack', external_id: 't1071.001', url: 'https://attack.mitre.org/techniques/T1071/001' }],
      }),
    );
    const got = await collect(stixParser, textStream(text));
    expect(got.indicators[0]).toEqual({
      kind: 'indicator',
      line: 1,
      value: 'c2.example',
      type: 'domain',
      first_seen: '2024-01-01T00:00:00.000Z',
      confidence: 'high',
      tags: ['c2', 'apt-x'],
      mitre_techniques: ['T1071.001'],
      tlp: 'green',
      context: 'C2 domain; Beacons every 60 s',
      reference_url: 'https://attack.mitre.org/techniques/T1071/001',
    });
  });

  it('a cut bundle keeps what came before and reports the rest as one problem', async () => {
    const text = bundle(indicator("[ipv4-addr:value = '1.2.3.4']"), indicator("[ipv4-addr:value = '5.6.7.8']")).slice(0, -40);
    const got = await collect(stixParser, textStream(text));
    expect(got.indicators.map((i) => i.value)).toEqual(['1.2.3.4']);
    expect(got.problems).toHaveLength(1);
    expect(got.problems[0]?.line).toBe(2);
  });
});

describe.runIf(hasSharedData)('STIX parser on the OASIS examples', () => {
  it('apt1.json: CIDR, domain and md5 indicators with their context', async () => {
    const got = await collect(stixParser, sharedStream('stix', 'apt1.json'));
    expect(got.indicators[0]).toMatchObject({ type: 'ipv4', value: '223.166.0.0/15', context: 'HTRAN Hop Point Accessor; Test description.', first_seen: '2015-05-15T09:12:16.432Z' });
    expect(new Set(got.indicators.map((i) => i.type))).toEqual(new Set(['ipv4', 'domain', 'md5']));
  });

  it('indicators-for-C2-with-COA.json: the SHA-256 hash indicator', async () => {
    const got = await collect(stixParser, sharedStream('stix', 'indicators-for-C2-with-COA.json'));
    expect(got.indicators.find((i) => i.type === 'sha256')?.value).toBe('ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c');
  });
});
