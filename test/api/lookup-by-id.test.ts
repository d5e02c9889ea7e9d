import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { iocId } from '../../src/domain/ids.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { errorOf, ioc, ROOMY_PLANS } from './search-fixtures.js';
import { get, newKey, startApi, type RunningApi } from './support/server.js';

describe.each(DATABASE_KINDS)('GET /api/v1/iocs/{id} (%s)', (kind) => {
  let api: RunningApi;
  let free: string;

  beforeAll(async () => {
    api = await startApi(kind, ROOMY_PLANS);
    free = (await newKey(api.deps, 'free')).key;
    await api.store.upsertBatch([ioc('domain', 'byid.evil-example.net'), ioc('domain', 'gone.evil-example.net')], {
      now: new Date(),
      ttlDays: {},
      allowlist: (_t, v) => v === 'gone.evil-example.net',
    });
  });
  afterAll(async () => api?.close());

  it('returns the IOC with its stable id', async () => {
    const id = iocId('domain', 'byid.evil-example.net');
    for (const asked of [id, id.toUpperCase()]) {
      const res = await get(api, `/api/v1/iocs/${asked}`, free);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { meta: { source: string }; data: IocRecord };
      expect(body.meta.source).toBe('SOC Defenders');
      expect(body.data).toMatchObject({ id, type: 'domain', value: 'byid.evil-example.net', status: 'active' });
    }
  });

  it('returns IOCs in any status', async () => {
    const res = await get(api, `/api/v1/iocs/${iocId('domain', 'gone.evil-example.net')}`, free);
    expect(((await res.json()) as { data: IocRecord }).data.status).toBe('allowlisted');
  });

  it('answers 404 ioc_not_found for an unknown id', async () => {
    const res = await get(api, `/api/v1/iocs/${iocId('domain', 'unknown.evil-example.net')}`, free);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect((await errorOf(res)).code).toBe('ioc_not_found');
  });

  for (const bad of ['nope', '1', "1' OR '1'='1", '00000000-0000-0000-0000-00000000000g', 'x'.repeat(90)]) {
    it(`answers 400 naming id for ${JSON.stringify(bad.slice(0, 20))}`, async () => {
      const res = await get(api, `/api/v1/iocs/${encodeURIComponent(bad)}`, free);
      expect(res.status).toBe(400);
      const err = await errorOf(res);
      expect(err.code).toBe('invalid_parameter');
      expect(JSON.stringify(err.details)).toContain('"id"');
    });
  }

  it('refuses an id past the router parameter limit', async () => {
    // The router answers 414 before any route runs (Fastify's maxParamLength, 100).
    const res = await get(api, `/api/v1/iocs/${'x'.repeat(500)}`, free);
    expect(res.status).toBe(414);
  });

  it('does not shadow the static /iocs routes', async () => {
    expect((await get(api, '/api/v1/iocs/search?q=byid.evil-example.net', free)).status).toBe(200);
  });
});
