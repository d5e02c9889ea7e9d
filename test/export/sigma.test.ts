import { describe, expect, it } from 'vitest';
import { iocId } from '../../src/domain/ids.js';
import type { IocRecord } from '../../src/domain/ioc.js';
import { IOC_TYPES, STATUSES, type IocType } from '../../src/domain/vocabulary.js';
import {
  SIGMA_RULE_TYPES,
  SIGMA_UNSUPPORTED,
  SigmaStreamWriter,
  renderSigmaRule,
  renderSigmaStream,
  sigmaPreamble,
} from '../../src/export/sigma.js';
import { SIGMA_TITLE_MAX } from '../../src/export/sigma-meta.js';
import { hasSharedData } from '../support/shared-data.js';
import { HOSTILE_IOCS, sigmaTestIoc } from './sigma-fixtures.js';
import { parseRules, sigmaSchemaErrors } from './sigma-schema.js';
import { sharedAndDemoIocs } from './sigma-shared-iocs.js';

interface ParsedRule {
  title: string;
  id: string;
  status: string;
  description: string;
  references?: string[];
  author: string;
  date: string;
  modified: string;
  tags: string[];
  logsource: { category: string; product?: string };
  detection: { selection: Record<string, string> | Array<Record<string, string>>; condition: string };
  falsepositives: string[];
  level: string;
}

async function exportText(iocs: readonly IocRecord[]): Promise<string> {
  let out = '';
  for await (const chunk of renderSigmaStream(iocs, { generatedAt: '2026-01-31T00:00:00Z', skipped: {} })) out += chunk;
  return out;
}

/** How pySigma reads a match value: `\` escapes `*`, `?` and `\`; unescaped `*`/`?` are wildcards. */
function sigmaUnescape(v: string): { literal: string; wildcards: number } {
  let literal = '';
  let wildcards = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i] ?? '';
    const next = v[i + 1] ?? '';
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      literal += next;
      i++;
    } else {
      if (c === '*' || c === '?') wildcards++;
      literal += c;
    }
  }
  return { literal, wildcards };
}

function matchValues(rule: ParsedRule): Array<[string, string]> {
  const sel = rule.detection.selection;
  const maps = Array.isArray(sel) ? sel : [sel];
  return maps.flatMap((m) => Object.entries(m));
}

/** Checks every rule of an export must pass, whatever the IOC. */
function checkExport(text: string, iocs: readonly IocRecord[]): ParsedRule[] {
  // Never a separator at the end, never an empty document.
  expect(text.endsWith('---\n')).toBe(false);
  expect(text).not.toMatch(/^---\n---\n/m);
  // Every value is single-quoted: any `key: value` or `- value` line carries a quoted scalar.
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#') || line === '---') continue;
    expect(line, line).toMatch(/^( *)(- )?([A-Za-z|-]+:( '.*')?|'.*')$/);
  }
  const rules12 = parseRules(text, '1.2') as ParsedRule[];
  const rules11 = parseRules(text, '1.1') as ParsedRule[];
  // PyYAML's YAML 1.1 reads exactly what YAML 1.2 reads: no value turned into a number, bool or date.
  expect(rules11).toEqual(rules12);
  const expected = iocs.filter((i) => renderSigmaRule(i) !== null);
  expect(rules12).toHaveLength(expected.length);
  const titles = new Set<string>();
  const ids = new Set<string>();
  rules12.forEach((rule, n) => {
    const ioc = expected[n] as IocRecord;
    expect(rule, `${ioc.type} ${ioc.value}`).not.toBeNull();
    expect(sigmaSchemaErrors(rule), `${ioc.type} ${JSON.stringify(ioc.value)}`).toEqual([]);
    expect(rule.id).toBe(iocId(ioc.type, ioc.value));
    expect(rule.title.length).toBeLessThanOrEqual(SIGMA_TITLE_MAX);
    expect(rule.title).not.toMatch(/[\n\r\t]/);
    expect(rule.description).not.toMatch(/[\n\r\t]/);
    expect(rule.description.length).toBeGreaterThanOrEqual(16);
    titles.add(rule.title);
    ids.add(rule.id);
    for (const [, value] of matchValues(rule)) expect(typeof value).toBe('string');
  });
  expect(titles.size).toBe(rules12.length);
  expect(ids.size).toBe(rules12.length);
  return rules12;
}

describe('renderSigmaRule: one rule per IOC type', () => {
  const cases: Array<{ type: IocType; value: string; category: string; product?: string; selection: unknown }> = [
    { type: 'ipv4', value: '203.0.113.42', category: 'network_connection', product: 'windows', selection: { DestinationIp: '203.0.113.42' } },
    { type: 'ipv4', value: '198.51.100.0/22', category: 'network_connection', product: 'windows', selection: { 'DestinationIp|cidr': '198.51.100.0/22' } },
    { type: 'ipv6', value: '2001:db8::1', category: 'network_connection', product: 'windows', selection: { DestinationIp: '2001:db8::1' } },
    { type: 'ipv6', value: '2001:db8::/32', category: 'network_connection', product: 'windows', selection: { 'DestinationIp|cidr': '2001:db8::/32' } },
    {
      type: 'domain',
      value: 'evil.example.com',
      category: 'dns_query',
      product: 'windows',
      selection: [{ QueryName: 'evil.example.com' }, { 'QueryName|endswith': '.evil.example.com' }],
    },
    { type: 'url', value: 'https://evil.example/a.php?id=1', category: 'proxy', selection: { 'c-uri': 'https://evil.example/a.php\\?id=1' } },
    { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', category: 'process_creation', product: 'windows', selection: { 'Hashes|contains': 'MD5=D41D8CD98F00B204E9800998ECF8427E' } },
    { type: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709', category: 'process_creation', product: 'windows', selection: { 'Hashes|contains': 'SHA1=DA39A3EE5E6B4B0D3255BFEF95601890AFD80709' } },
    {
      type: 'sha256',
      value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      category: 'process_creation',
      product: 'windows',
      selection: { 'Hashes|contains': 'SHA256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' },
    },
  ];
  for (const c of cases) {
    it(`${c.type} ${c.value} → ${c.category}`, () => {
      const text = renderSigmaRule(sigmaTestIoc(c.type, c.value));
      expect(text).not.toBeNull();
      const [rule] = parseRules(text ?? '') as ParsedRule[];
      expect(rule?.logsource).toEqual(c.product === undefined ? { category: c.category } : { category: c.category, product: c.product });
      expect(rule?.detection).toEqual({ selection: c.selection, condition: 'selection' });
      expect(rule?.title).toContain(c.value);
      expect(sigmaSchemaErrors(rule)).toEqual([]);
    });
  }

  for (const type of IOC_TYPES.filter((t) => !(SIGMA_RULE_TYPES as readonly IocType[]).includes(t))) {
    it(`${type}: no rule (${type in SIGMA_UNSUPPORTED ? 'reason documented' : 'no reason'})`, () => {
      const value = { cve: 'CVE-2021-44228', email: 'a@evil.example', sha512: 'a'.repeat(128), 'mitre-attack': 'T1071' }[type as string] ?? 'x';
      expect(renderSigmaRule(sigmaTestIoc(type, value))).toBeNull();
      expect(type in SIGMA_UNSUPPORTED).toBe(true);
    });
  }
});

describe('renderSigmaRule: fields', () => {
  it('takes id, dates, level, author, references and tags from the IOC', () => {
    const ioc = sigmaTestIoc('ipv4', '203.0.113.42', {
      first_seen: '2023-12-31T23:59:59Z',
      updated_at: '2024-02-03T01:00:00Z',
      confidence: 'medium',
      tags: ['CVE-2021-44228', 'demo'],
      mitre_techniques: ['T1071.001', 'T1105'],
      tlp: 'amber+strict',
    });
    const [rule] = parseRules(renderSigmaRule(ioc) ?? '') as ParsedRule[];
    expect(rule).toMatchObject({
      id: iocId('ipv4', '203.0.113.42'),
      status: 'test',
      author: 'SOC Defenders',
      date: '2023-12-31',
      modified: '2024-02-03',
      level: 'medium',
      references: ['https://threatfox.abuse.ch/ioc/1234/'],
      tags: ['attack.command-and-control', 'attack.t1071.001', 'attack.t1105', 'cve.2021-44228', 'detection.emerging-threats', 'tlp.amber-strict'],
    });
    expect(rule?.title).toBe('Network Connection To Emotet Botnet C2 IP 203.0.113.42');
    expect(rule?.description).toContain('Emotet Botnet C2');
    expect(rule?.description).toContain('ThreatFox');
  });

  it('gives the same id for the same IOC and different ids for different IOCs', () => {
    const a = parseRules(renderSigmaRule(sigmaTestIoc('domain', 'evil.example')) ?? '') as ParsedRule[];
    const b = parseRules(renderSigmaRule(sigmaTestIoc('domain', 'evil.example', { version: 9, confidence: 'low' })) ?? '') as ParsedRule[];
    const c = parseRules(renderSigmaRule(sigmaTestIoc('domain', 'evil2.example')) ?? '') as ParsedRule[];
    expect(a[0]?.id).toBe(b[0]?.id);
    expect(a[0]?.id).not.toBe(c[0]?.id);
  });

  const statusCases: Array<[IocRecord['status'], IocRecord['confidence'], string]> = [
    ['active', 'high', 'test'],
    ['active', 'medium', 'test'],
    ['active', 'low', 'experimental'],
    ['expired', 'high', 'deprecated'],
    ['revoked', 'medium', 'deprecated'],
    ['allowlisted', 'low', 'deprecated'],
  ];
  for (const [status, confidence, expected] of statusCases) {
    it(`status ${status}, confidence ${confidence} → status ${expected}, level ${confidence}`, () => {
      const [rule] = parseRules(renderSigmaRule(sigmaTestIoc('url', 'http://evil.example/', { status, confidence })) ?? '') as ParsedRule[];
      expect(rule?.status).toBe(expected);
      expect(rule?.level).toBe(confidence);
      if (status !== 'active') expect(rule?.description).toMatch(new RegExp(`^Deprecated: the IOC was ${status}`));
    });
  }
  it('covers every IOC status', () => {
    expect(new Set(statusCases.map((c) => c[0]))).toEqual(new Set(STATUSES));
  });

  it('never dates modified before date', () => {
    const [rule] = parseRules(
      renderSigmaRule(sigmaTestIoc('ipv4', '203.0.113.9', { first_seen: '2024-05-01T00:00:00Z', updated_at: '2024-04-01T00:00:00Z' })) ?? '',
    ) as ParsedRule[];
    expect(rule?.modified).toBe('2024-05-01');
  });

  it('keeps titles unique and short for long and unclean values', () => {
    const long1 = sigmaTestIoc('url', `http://evil.example/${'a'.repeat(300)}1`);
    const long2 = sigmaTestIoc('url', `http://evil.example/${'a'.repeat(300)}2`);
    const unclean = sigmaTestIoc('url', 'http://evil.example/a\nb');
    const unclean2 = sigmaTestIoc('url', 'http://evil.example/a\tb');
    const rules = parseRules([long1, long2, unclean, unclean2].map((i) => renderSigmaRule(i)).join('---\n')) as ParsedRule[];
    const titles = rules.map((r) => r.title);
    expect(new Set(titles).size).toBe(4);
    for (const t of titles) expect(t.length).toBeLessThanOrEqual(SIGMA_TITLE_MAX);
    expect(titles[0]).toMatch(/… \([0-9a-f]{8}\)$/);
    expect(titles[2]).toMatch(/ \([0-9a-f]{8}\)$/);
  });
});

describe('hostile values', () => {
  for (const ioc of HOSTILE_IOCS) {
    it(`${ioc.type} ${JSON.stringify(ioc.value).slice(0, 60)}`, async () => {
      const [rule] = checkExport(await exportText([ioc]), [ioc]);
      expect(rule).toBeDefined();
      // The match value reads back as the IOC value (or its hash form) under Sigma's escaping;
      // characters YAML cannot hold become single-character wildcards, and nothing else is a wildcard.
      const [field, value] = matchValues(rule as ParsedRule)[0] as [string, string];
      const { literal, wildcards } = sigmaUnescape(value);
      const unsafe = [...ioc.value].filter((ch) => /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(ch)).length;
      expect(wildcards).toBe(unsafe);
      if (field.startsWith('Hashes')) expect(literal).toBe(`${ioc.type.toUpperCase()}=${ioc.value.toUpperCase()}`);
      else if (unsafe === 0) expect(literal).toBe(ioc.value);
    });
  }

  it('all together: one export with unique titles and ids', async () => {
    checkExport(await exportText(HOSTILE_IOCS), HOSTILE_IOCS);
  });
});

describe('streaming', () => {
  it('separates documents with ---, none before the first or after the last', () => {
    const w = new SigmaStreamWriter();
    const chunks = [
      w.write(sigmaTestIoc('cve', 'CVE-2021-44228')),
      w.write(sigmaTestIoc('ipv4', '203.0.113.1')),
      w.write(sigmaTestIoc('email', 'a@evil.example')),
      w.write(sigmaTestIoc('ipv4', '203.0.113.2')),
    ];
    expect(chunks[0]).toBe('');
    expect(chunks[1]?.startsWith('title: ')).toBe(true);
    expect(chunks[2]).toBe('');
    expect(chunks[3]?.startsWith('---\ntitle: ')).toBe(true);
    expect(w.rules).toBe(2);
    expect(w.skipped).toEqual({ cve: 1, email: 1 });
  });

  it('an export of nothing is only comments (zero documents, which pySigma accepts)', async () => {
    const text = await exportText([]);
    expect(text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))).toEqual([]);
    expect(parseRules(text)).toEqual([]);
  });

  it('states skipped IOCs by type in the leading comment', () => {
    const text = sigmaPreamble({ generatedAt: '2026-01-31T00:00:00Z', skipped: { cve: 2, email: 1 } });
    expect(text).toContain('# 3 matching IOCs have no Sigma rule');
    expect(text).toContain('#   cve: 2 (');
    expect(text).toContain('#   email: 1 (');
    expect(text.split('\n').filter((l) => l !== '').every((l) => l.startsWith('#'))).toBe(true);
  });
});

describe.runIf(hasSharedData)('every shared-data and demo IOC', () => {
  it('renders schema-valid rules with unique titles and ids', async () => {
    const iocs = await sharedAndDemoIocs();
    const types = new Set(iocs.map((i) => i.type));
    for (const t of SIGMA_RULE_TYPES) expect(types, `no ${t} in the shared data`).toContain(t);
    const rules = checkExport(await exportText(iocs), iocs);
    expect(rules.length).toBeGreaterThan(1000);
  });
});
