/**
 * `GET /api/v1/iocs?format=hec`: pages of HEC event envelopes that a poller POSTs unchanged to
 * `/services/collector/event` (the local HEC server of the push suites parses them as Splunk
 * does), followed by cursor to the end: every IOC arrives once, in its stored form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { startHecServer, type HecServer } from '../push/support/hec-server.js';
import { candidate, get, ingest, newKey, startApi, type RunningApi } from './support/server.js';

const TOKEN = '0f1e2d3c-4b5a-4968-8776-655443322110';

describe.each(DATABASE_KINDS)('format=hec (%s)', (kind) => {
  let api: RunningApi;
  let hec: HecServer;
  let pro: string;

  beforeAll(async () => {
    api = await startApi(kind);
    hec = await startHecServer({ tokens: { [TOKEN]: {} } });
    pro = (await newKey(api.deps, 'pro')).key;
    await ingest(api.store, Array.from({ length: 250 }, (_, i) => candidate(i, { type: i % 2 ? 'domain' : 'ipv4' })));
  });
  afterAll(async () => {
    await api?.close();
    await hec?.close();
  });

  it('pages of envelopes, one a line, that HEC /services/collector/event indexes as they are', async () => {
    let cursor = '';
    let pages = 0;
    for (;;) {
      const res = await get(api, `/api/v1/iocs?format=hec&limit=100&status=all&hec_index=threat_intel${cursor ? `&cursor=${cursor}` : ''}`, pro);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      const body = await res.text();
      if (body === '') break;
      pages++;
      const lines = body.trimEnd().split('\n');
      for (const line of lines) expect(Object.keys(JSON.parse(line) as object)).toEqual(['time', 'host', 'source', 'sourcetype', 'index', 'event']);
      const post = await fetch(`${hec.url}/services/collector/event`, { method: 'POST', headers: { authorization: `Splunk ${TOKEN}` }, body });
      expect(await post.json()).toEqual({ text: 'Success', code: 0 });
      cursor = res.headers.get('x-next-cursor') ?? '';
      if (res.headers.get('x-has-more') !== 'true') break;
    }
    expect(pages).toBe(3);
    const ids = hec.events.map((e) => (e.envelope.event as IocRecord).id);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    const first = hec.events[0]?.envelope as { event: IocRecord; index: string; sourcetype: string; source: string; time: number };
    expect(first).toMatchObject({ index: 'threat_intel', sourcetype: 'socd:ioc', source: 'soc-defenders' });
    expect(first.event).toEqual(await api.store.getIoc(first.event.id));
    expect(first.time).toBeCloseTo(Date.parse(first.event.updated_at) / 1000, 2);
  });

  it('leaves out the index unless asked, takes a sourcetype, and keeps the renderings of one page apart', async () => {
    const plain = await (await get(api, '/api/v1/iocs?format=hec&limit=5', pro)).text();
    expect(Object.keys(JSON.parse(plain.split('\n')[0] as string) as object)).toEqual(['time', 'host', 'source', 'sourcetype', 'event']);
    const typed = await (await get(api, '/api/v1/iocs?format=hec&limit=5&hec_sourcetype=threat:ioc', pro)).text();
    expect((JSON.parse(typed.split('\n')[0] as string) as { sourcetype: string }).sourcetype).toBe('threat:ioc');
    expect((await get(api, '/api/v1/iocs?format=hec&hec_index=bad%20index', pro)).status).toBe(400);
  });

  it('needs the ndjson feature (pro)', async () => {
    const free = (await newKey(api.deps, 'free')).key;
    const res = await get(api, '/api/v1/iocs?format=hec', free);
    expect(res.status).toBe(403);
  });
});
