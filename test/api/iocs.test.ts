/**
 * GET /api/v1/iocs against the real server on a free port, on SQLite and PostgreSQL: every
 * filter and format, offset and cursor paging, large streamed pages, and the hosted product's
 * documented example requests answered with its field names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../src/export/csv.js';
import type { IocRecord } from '../../src/domain/ioc.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { candidate, get, ingest, newKey, startApi, type RunningApi } from './support/server.js';

interface Envelope {
  meta: {
    total: number;
    limit: number;
    offset: number;
    next_cursor: string | null;
    has_more: boolean;
    generated_at: string;
    filters: Record<string, unknown>;
  };
  data: IocRecord[];
  links: { self: string; next: string | null };
}

async function page(api: RunningApi, key: string, query: string): Promise<Envelope> {
  const res = await get(api, `/api/v1/iocs${query}`, key);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Envelope;
}

describe.each(DATABASE_KINDS)('GET /api/v1/iocs on %s', (kind) => {
  let api: RunningApi;
  let pro: string;
  let free: string;

  beforeAll(async () => {
    api = await startApi(kind);
    pro = (await newKey(api.deps, 'pro')).key;
    free = (await newKey(api.deps, 'free')).key;
    await ingest(api.store, [
      ...Array.from({ length: 6 }, (_, i) => candidate(i, { type: 'ipv4', confidence: 'high', category: 'government', industries: ['energy'] })),
      ...Array.from({ length: 4 }, (_, i) => candidate(i, { type: 'domain', confidence: 'low', category: 'community' })),
      ...Array.from({ length: 3 }, (_, i) =>
        candidate(i, { type: 'sha256', confidence: 'medium', category: 'commercial', industries: ['healthcare-public-health'] }),
      ),
      candidate(1, { type: 'mitre-attack', confidence: 'high', category: 'threat-intel' }),
      candidate(1, { type: 'url', confidence: 'medium', category: 'news', industries: ['financial-services'] }),
    ]);
  });
  afterAll(async () => api?.close());

  it('answers the JSON envelope with the hosted field names, ascending by version', async () => {
    const body = await page(api, pro, '');
    expect(Object.keys(body)).toEqual(['meta', 'data', 'links']);
    expect(body.meta).toMatchObject({ total: 15, limit: 100, offset: 0, has_more: false, feed_version: '1.0', source: 'SOC Defenders' });
    expect(body.meta.filters).toMatchObject({ status: 'active', type: null });
    expect(Date.parse(body.meta.generated_at)).not.toBeNaN();
    expect(body.data).toHaveLength(15);
    const versions = body.data.map((d) => d.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const first = body.data[0] as IocRecord;
    for (const field of ['id', 'type', 'value', 'confidence', 'first_seen', 'last_seen', 'source', 'context', 'tags', 'mitre_techniques']) {
      expect(first).toHaveProperty(field);
    }
    for (const field of ['feed_name', 'category', 'origin', 'reference_url', 'article_id', 'article_title', 'article_url']) {
      expect(first.source).toHaveProperty(field);
    }
    expect(body.links.self).toBe(`${api.url}/api/v1/iocs`);
    expect(body.links.next).toBeNull();
    expect(body.meta.next_cursor).toEqual(expect.any(String));
  });

  it('answers the documented example requests (Splunk input, X-API-Key header, Elastic poller)', async () => {
    // Splunk REST scripted input of the hosted docs (free plan).
    const splunk = await page(api, free, '?type=ipv4&limit=100');
    expect(splunk.data.map((d) => d.type)).toEqual(Array(6).fill('ipv4'));
    // The X-API-Key header instead of Bearer.
    const res = await get(api, '/api/v1/iocs?type=domain&confidence=low', undefined, { 'x-api-key': free });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Envelope).meta.total).toBe(4);
    // The Elastic poller: limit=1000 on pro; its ECS mapping reads type, value, confidence, source.feed_name.
    const elastic = await page(api, pro, '?limit=1000');
    expect(elastic.data.every((d) => typeof d.source.feed_name === 'string' && typeof d.confidence === 'string')).toBe(true);
  });

  const filters: Array<[string, string, number]> = [
    ['one type', '?type=ipv4', 6],
    ['a comma list of types', '?type=ipv4,domain', 10],
    ['the hosted mitre_attack spelling', '?type=mitre_attack', 1],
    ['confidence', '?confidence=high', 7],
    ['category', '?category=commercial', 3],
    ['industry', '?industry=energy', 6],
    ['an industry alias', '?industry=healthcare', 3],
    ['filters combined', '?type=ipv4,sha256&confidence=medium', 3],
    ['status=all', '?status=all', 15],
    ['status=expired', '?status=expired', 0],
  ];
  it.each(filters)('filters by %s', async (_label, query, expected) => {
    const body = await page(api, pro, query);
    expect(body.meta.total).toBe(expected);
    expect(body.data).toHaveLength(expected);
  });

  it('filters by since (added or updated after)', async () => {
    const all = await page(api, pro, '?status=all');
    const pivot = all.data[9] as IocRecord;
    const after = await page(api, pro, `?since=${encodeURIComponent(pivot.updated_at)}`);
    expect(after.data.map((d) => d.id)).toEqual(all.data.slice(10).map((d) => d.id));
    const future = await page(api, pro, `?since=${new Date(Date.now() + 60_000).toISOString()}`);
    expect(future.data).toEqual([]);
  });

  it('pages by offset as documented', async () => {
    const all = (await page(api, pro, '')).data.map((d) => d.id);
    const p2 = await page(api, pro, '?limit=4&offset=4');
    expect(p2.meta).toMatchObject({ limit: 4, offset: 4, has_more: true });
    expect(p2.data.map((d) => d.id)).toEqual(all.slice(4, 8));
    expect(p2.links.next).toContain('cursor=');
    expect(p2.links.next).not.toContain('offset=');
  });

  it('pages by cursor through everything exactly once (links.next and meta.next_cursor)', async () => {
    const all = (await page(api, pro, '')).data.map((d) => d.id);
    const seen: string[] = [];
    let next: string | null = `${api.url}/api/v1/iocs?limit=4`;
    let pages = 0;
    while (next) {
      const res = await fetch(next, { headers: { authorization: `Bearer ${pro}` } });
      const body = (await res.json()) as Envelope;
      seen.push(...body.data.map((d) => d.id));
      next = body.links.next;
      if (next) expect(new URL(next).searchParams.get('cursor')).toBe(body.meta.next_cursor);
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(all);
    // The last page's cursor resumes later: empty now, new IOCs after it.
    const last = await page(api, pro, '?limit=100');
    const resume = await page(api, pro, `?cursor=${last.meta.next_cursor}`);
    expect(resume.data).toEqual([]);
    expect(resume.meta.next_cursor).toBe(last.meta.next_cursor);
  });

  it('renders csv with the 10 documented columns', async () => {
    const res = await get(api, '/api/v1/iocs?format=csv&type=ipv4', pro);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(8); // header, 6 rows, trailing empty
    const cells = (lines[1] ?? '').split(',');
    expect(cells).toHaveLength(10);
    expect(cells.slice(1, 4)).toEqual(['ipv4', '45.0.0.0', 'high']);
    expect(cells[7]).toBe('test-feed');
    expect(cells[8]).toBe('government');
    expect(res.headers.get('x-total-count')).toBe('6');
  });

  it('renders txt as one value a line', async () => {
    const res = await get(api, '/api/v1/iocs?format=txt&type=domain', pro);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await res.text()).trimEnd().split('\n')).toEqual([0, 1, 2, 3].map((i) => `host${i}.evil-example.net`));
  });

  it('renders ndjson as one IOC a line, with the cursor in headers', async () => {
    const res = await get(api, '/api/v1/iocs?format=ndjson&limit=5', pro);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    const text = await res.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as IocRecord);
    expect(lines).toHaveLength(5);
    expect(res.headers.get('x-has-more')).toBe('true');
    expect(res.headers.get('x-next-cursor')).toEqual(expect.any(String));
    expect(res.headers.get('link')).toMatch(/rel="next"/);
    const rest = await get(api, `/api/v1/iocs?format=ndjson&cursor=${res.headers.get('x-next-cursor')}`, pro);
    const more = (await rest.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as IocRecord);
    expect(more).toHaveLength(10);
    expect(new Set([...lines, ...more].map((d) => d.id)).size).toBe(15);
    expect(rest.headers.get('x-has-more')).toBe('false');
  });

  it('streams pages above 1,000 rows in chunks, losslessly', async () => {
    await ingest(api.store, Array.from({ length: 2600 }, (_, i) => candidate(100 + i, { type: 'sha1' })));
    const first = await page(api, pro, '?type=sha1&limit=2500');
    expect(first.data).toHaveLength(2500);
    expect(first.meta.has_more).toBe(true);
    expect(first.meta.total).toBe(2600);
    expect(first.meta.next_cursor).toEqual(expect.any(String));
    const versions = first.data.map((d) => d.version);
    expect(new Set(versions).size).toBe(2500);
    const second = await page(api, pro, `?type=sha1&limit=2500&cursor=${first.meta.next_cursor}`);
    expect(second.data).toHaveLength(100);
    expect(second.meta.has_more).toBe(false);
    expect(Math.min(...second.data.map((d) => d.version))).toBeGreaterThan(Math.max(...versions));
    const nd = await get(api, '/api/v1/iocs?type=sha1&limit=2000&format=ndjson&offset=100', pro);
    const lines = (await nd.text()).trimEnd().split('\n');
    expect(lines).toHaveLength(2000);
    expect((JSON.parse(lines[0] ?? '{}') as IocRecord).id).toBe(first.data[100]?.id);
  });
});
