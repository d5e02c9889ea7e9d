/**
 * Every authenticated request lands in request_log and moves its key's last_used_at, including
 * list pages, which routes/iocs.ts writes to the socket itself (hijacked reply).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_LOG_RETENTION_MS } from '../../src/api/plugins/request-log.js';
import { UsageRepository } from '../../src/store/usage-repository.js';
import { candidate, get, ingest, newKey, startApi, type RunningApi } from './support/server.js';

describe('request log', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi('sqlite');
    await ingest(api.store, [candidate(1), candidate(2)]);
  });
  afterAll(async () => api?.close());

  it('logs a JSON list page, a CSV page and a lookup with their status', async () => {
    const k = await newKey(api.deps, 'pro');
    const list = await get(api, '/api/v1/iocs?limit=1', k.key);
    expect(list.status).toBe(200);
    expect(Number(list.headers.get('content-length'))).toBe((await list.arrayBuffer()).byteLength);
    expect((await get(api, '/api/v1/iocs?format=csv', k.key)).status).toBe(200);
    expect((await get(api, '/api/v1/lookup?ioc=not-an-ioc', k.key)).status).toBe(400);
    // The log is written about once a second.
    let rows: Array<{ path: string; status: number }> = [];
    let lastUsed: string | null | undefined = null;
    for (let i = 0; i < 40 && (rows.length < 3 || lastUsed === null); i++) {
      await new Promise((done) => setTimeout(done, 100));
      rows = await api.store.db.selectFrom('request_log').select(['path', 'status']).where('key_id', '=', k.id).orderBy('id').execute();
      lastUsed = (await api.deps.keys.findById(k.id))?.last_used_at;
    }
    expect(rows).toEqual([
      { path: '/api/v1/iocs', status: 200 },
      { path: '/api/v1/iocs', status: 200 },
      { path: '/api/v1/lookup', status: 400 },
    ]);
    expect(lastUsed).not.toBeNull();
  });
});

describe('request log retention', () => {
  // Its own server: pruning runs on the first flush after start, then once a minute.
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi('sqlite');
  });
  afterAll(async () => api?.close());

  it('drops rows older than the longest usage window (MAX_USAGE_DAYS and a day) when it flushes', async () => {
    const k = await newKey(api.deps, 'pro');
    const day = 86_400_000;
    const stale = new Date(Date.now() - REQUEST_LOG_RETENTION_MS - day).toISOString();
    const kept = new Date(Date.now() - REQUEST_LOG_RETENTION_MS + day).toISOString();
    await new UsageRepository(api.store.db).logRequests([
      { key_id: k.id, ts: stale, method: 'GET', path: '/stale', status: 200, latency_ms: 1 },
      { key_id: k.id, ts: kept, method: 'GET', path: '/kept', status: 200, latency_ms: 1 },
    ]);
    expect((await get(api, '/api/v1/iocs?limit=1', k.key)).status).toBe(200);
    await expect
      .poll(async () => (await api.store.db.selectFrom('request_log').select('path').where('key_id', '=', k.id).orderBy('id').execute()).map((r) => r.path), {
        timeout: 5000,
        interval: 100,
      })
      .toEqual(['/kept', '/api/v1/iocs']);
  });
});
