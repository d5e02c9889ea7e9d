import { describe, expect, it } from 'vitest';
import { iocId } from '../../src/domain/ids.js';
import { renderStixBundle } from '../../src/export/stix-bundle.js';
import { STIX_PRODUCER_ID } from '../../src/export/stix-identity.js';
import { TLP1_AMBER, TLP1_GREEN, TLP1_RED, TLP1_WHITE, TLP2_MARKINGS } from '../../src/export/stix-markings.js';
import { stixPattern, stixStringLiteral } from '../../src/export/stix-pattern.js';
import { toMicroTimestamp } from '../../src/export/stix-time.js';
import { renderStixObject, stixIdOf } from '../../src/export/stix.js';
import type { StixIndicator } from '../../src/export/stix-types.js';
import { iocRecord, source } from './stix-records.js';

describe('stixPattern', () => {
  it.each([
    ['ipv4', '198.51.100.7', "[ipv4-addr:value = '198.51.100.7']"],
    ['ipv4', '203.0.113.0/24', "[ipv4-addr:value = '203.0.113.0/24']"],
    ['ipv6', '2001:db8::1', "[ipv6-addr:value = '2001:db8::1']"],
    ['ipv6', '2001:db8::/32', "[ipv6-addr:value = '2001:db8::/32']"],
    ['domain', 'evil.example', "[domain-name:value = 'evil.example']"],
    ['url', 'http://evil.example/a?b=c', "[url:value = 'http://evil.example/a?b=c']"],
    ['url', "http://evil.example/it's", "[url:value = 'http://evil.example/it\\'s']"],
    ['url', 'http://evil.example/a\\b', "[url:value = 'http://evil.example/a\\\\b']"],
    ['url', "http://x.example/\\'", "[url:value = 'http://x.example/\\\\\\'']"],
    ['email', 'phish@evil.example', "[email-addr:value = 'phish@evil.example']"],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"],
    ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']"],
    [
      'sha256',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    ],
    ['sha512', 'ab'.repeat(64), `[file:hashes.'SHA-512' = '${'ab'.repeat(64)}']`],
    ['cve', 'CVE-2024-3400', null],
    ['mitre-attack', 'T1071', null],
  ] as const)('%s %s', (type, value, expected) => {
    expect(stixPattern(type, value)).toBe(expected);
  });

  it('escapes only backslash and quote', () => {
    expect(stixStringLiteral(`a"b]c\\d'e`)).toBe(`'a"b]c\\\\d\\'e'`);
  });
});

describe('toMicroTimestamp', () => {
  it.each([
    ['2026-11-26T07:04:43.123456Z', '2026-11-26T07:04:43.123456Z'],
    ['2026-11-26T07:04:43.123Z', '2026-11-26T07:04:43.123000Z'],
    ['2026-11-26T07:04:43Z', '2026-11-26T07:04:43.000000Z'],
    ['2026-11-26T07:04:43.123456789Z', '2026-11-26T07:04:43.123456Z'],
    ['2026-11-26T09:04:43.5+02:00', '2026-11-26T07:04:43.500000Z'],
    ['2026-11-26T00:30:00-01:00', '2026-11-26T01:30:00.000000Z'],
    ['2026-11-26 07:04:43z', '2026-11-26T07:04:43.000000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000000Z'],
    ['2026-02-29T00:00:00Z', null],
    ['2026-13-01T00:00:00Z', null],
    ['2026-11-26T24:00:00Z', null],
    ['2026-11-26', null],
    ['yesterday', null],
    ['', null],
  ])('%s', (input, expected) => {
    expect(toMicroTimestamp(input)).toBe(expected);
  });
});

describe('renderStixObject', () => {
  it('renders an indicator with every documented property', () => {
    const r = iocRecord({
      type: 'url',
      value: 'http://evil.example/drop.exe',
      confidence: 'high',
      first_seen: '2026-08-01T10:00:00.000Z',
      updated_at: '2026-08-18T16:17:08.123456Z',
      expires_at: '2026-09-01T10:00:00.000Z',
      tags: ['exe', 'Emotet'],
      malware: 'emotet',
      threat_type: 'malware_download',
      industries: ['energy'],
      mitre_techniques: ['T1071.001', 'T1566'],
      tlp: 'green',
      context: 'Payload host',
      sources: [
        source('URLhaus', 'community', { reference_url: 'https://urlhaus.abuse.ch/url/1/' }),
        source('Krebs on Security', 'news', {
          origin: 'article',
          article_title: 'A story',
          article_url: 'https://krebsonsecurity.com/2026/08/a-story/',
        }),
      ],
    });
    const o = renderStixObject(r) as StixIndicator;
    expect(o).toEqual({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${iocId('url', 'http://evil.example/drop.exe')}`,
      created_by_ref: STIX_PRODUCER_ID,
      created: '2026-08-01T10:00:00.000000Z',
      modified: '2026-08-18T16:17:08.123456Z',
      name: 'http://evil.example/drop.exe',
      description:
        'Payload host. URL reported by URLhaus, Krebs on Security. Threat type: malware_download. Malware: emotet.',
      indicator_types: ['malicious-activity'],
      pattern: "[url:value = 'http://evil.example/drop.exe']",
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: '2026-08-01T10:00:00.000000Z',
      valid_until: '2026-09-01T10:00:00.000000Z',
      kill_chain_phases: [
        { kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' },
        { kill_chain_name: 'mitre-attack', phase_name: 'initial-access' },
      ],
      labels: ['exe', 'Emotet', 'malware_download', 'sector:energy'],
      confidence: 85,
      external_references: [
        { source_name: 'URLhaus', description: 'community feed', url: 'https://urlhaus.abuse.ch/url/1/' },
        {
          source_name: 'Krebs on Security',
          description: 'news article: A story',
          url: 'https://krebsonsecurity.com/2026/08/a-story/',
        },
        {
          source_name: 'mitre-attack',
          url: 'https://attack.mitre.org/techniques/T1071/001/',
          external_id: 'T1071.001',
        },
        { source_name: 'mitre-attack', url: 'https://attack.mitre.org/techniques/T1566/', external_id: 'T1566' },
      ],
      object_marking_refs: [TLP1_GREEN.id],
    });
    expect(o).not.toHaveProperty('revoked');
  });

  it.each([
    ['low', 15],
    ['medium', 50],
    ['high', 85],
  ] as const)('confidence %s is %i', (confidence, expected) => {
    expect(renderStixObject(iocRecord({ type: 'domain', value: 'a.example', confidence })).confidence).toBe(expected);
  });

  it.each([
    ['clear', TLP1_WHITE.id],
    ['green', TLP1_GREEN.id],
    ['amber', TLP1_AMBER.id],
    ['amber+strict', TLP2_MARKINGS['amber+strict'].id],
    ['red', TLP1_RED.id],
  ] as const)('tlp %s is marked %s', (tlp, id) => {
    expect(renderStixObject(iocRecord({ type: 'domain', value: 'a.example', tlp })).object_marking_refs).toEqual([id]);
  });

  it.each([
    ['active', undefined],
    ['expired', true],
    ['revoked', true],
    ['allowlisted', true],
  ] as const)('status %s has revoked %s', (status, revoked) => {
    expect(renderStixObject(iocRecord({ type: 'md5', value: 'a'.repeat(32), status })).revoked).toBe(revoked);
  });

  it('keeps the id and moves modified with each version', () => {
    const v1 = renderStixObject(iocRecord({ type: 'ipv4', value: '198.51.100.7', updated_at: '2026-08-18T16:17:08.000001Z' }));
    const v2 = renderStixObject(
      iocRecord({ type: 'ipv4', value: '198.51.100.7', updated_at: '2026-08-19T00:00:00.000002Z', status: 'expired' }),
    );
    expect(v2.id).toBe(v1.id);
    expect(v1.id).toBe(stixIdOf('ipv4', iocId('ipv4', '198.51.100.7')));
    expect(v2.modified > v1.modified).toBe(true);
    expect(v2.created).toBe(v1.created);
  });

  it('never lets created follow modified, nor valid_until precede valid_from', () => {
    const o = renderStixObject(
      iocRecord({
        type: 'domain',
        value: 'late.example',
        first_seen: '2026-09-01T00:00:00Z',
        updated_at: '2026-08-18T16:17:08.123456Z',
        expires_at: '2026-09-01T00:00:00Z',
      }),
    ) as StixIndicator;
    expect(o.created).toBe('2026-08-18T16:17:08.123456Z');
    expect(o.valid_from).toBe('2026-09-01T00:00:00.000000Z');
    expect(o).not.toHaveProperty('valid_until');
  });

  it('renders a CVE as a vulnerability with the cve external reference first', () => {
    const o = renderStixObject(iocRecord({ type: 'cve', value: 'CVE-2024-3400', sources: [source('CISA KEV', 'government')] }));
    expect(o.type).toBe('vulnerability');
    expect(o.id).toBe(`vulnerability--${iocId('cve', 'CVE-2024-3400')}`);
    expect(o.external_references?.[0]).toEqual({
      source_name: 'cve',
      url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-3400',
      external_id: 'CVE-2024-3400',
    });
    expect(o).not.toHaveProperty('pattern');
  });

  it('renders an ATT&CK technique as an attack-pattern with its tactics', () => {
    const o = renderStixObject(iocRecord({ type: 'mitre-attack', value: 'T1071' }));
    expect(o).toMatchObject({
      type: 'attack-pattern',
      id: `attack-pattern--${iocId('mitre-attack', 'T1071')}`,
      name: 'Application Layer Protocol',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }],
    });
    expect(o.external_references?.[0]).toEqual({
      source_name: 'mitre-attack',
      url: 'https://attack.mitre.org/techniques/T1071/',
      external_id: 'T1071',
    });
    expect(renderStixObject(iocRecord({ type: 'mitre-attack', value: 'T1071.001' })).name).toBe('Web Protocols');
    const unknown = renderStixObject(iocRecord({ type: 'mitre-attack', value: 'T1999' }));
    expect(unknown.name).toBe('T1999');
    expect(unknown).not.toHaveProperty('kill_chain_phases');
  });

  it('renders an ATT&CK tactic as an attack-pattern whose phase is the tactic', () => {
    const o = renderStixObject(iocRecord({ type: 'mitre-attack', value: 'TA0011' }));
    expect(o).toMatchObject({
      type: 'attack-pattern',
      name: 'Command and Control',
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }],
      external_references: [
        { source_name: 'mitre-attack', url: 'https://attack.mitre.org/tactics/TA0011/', external_id: 'TA0011' },
        expect.anything(),
      ],
    });
    expect(o.description).toMatch(/^ATT&CK tactic reported by/);
  });

  it('keeps reserved source names and unusable URLs out of external references', () => {
    const o = renderStixObject(
      iocRecord({
        type: 'domain',
        value: 'a.example',
        sources: [source('CVE', 'community', { reference_url: 'not a url' }), source('x', 'news', { reference_url: 'ftp://x/' })],
      }),
    );
    expect(o.external_references).toEqual([
      { source_name: 'CVE feed', description: 'community feed' },
      { source_name: 'x', description: 'news feed' },
    ]);
  });
});

describe('renderStixBundle', () => {
  it('is one JSON bundle without spec_version, shared objects first', () => {
    const records = [iocRecord({ type: 'ipv4', value: '198.51.100.7' }), iocRecord({ type: 'cve', value: 'CVE-2024-3400' })];
    const text = [...renderStixBundle(records, { id: 'bundle--0b9f3a4e-7c1d-4e2f-8a6b-5c4d3e2f1a0b' })].join('');
    const bundle = JSON.parse(text) as { type: string; id: string; objects: Array<{ type: string }>; spec_version?: string };
    expect(bundle.type).toBe('bundle');
    expect(bundle).not.toHaveProperty('spec_version');
    expect(bundle.objects.map((o) => o.type)).toEqual([
      'identity',
      'marking-definition',
      'marking-definition',
      'marking-definition',
      'marking-definition',
      'marking-definition',
      'indicator',
      'vulnerability',
    ]);
  });
});
