/**
 * Every authenticated request lands in request_log and moves its key's last_used_at, including
 * list pages, which routes/iocs.ts writes to the socket itself (hijacked reply).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
