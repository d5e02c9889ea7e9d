/**
 * Every error code of the API (auth, parameters, plan, routes, bodies, crashes) with the
 * `{"error": {"code", "message", "details", "request_id"}}` envelope, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/api/cursor.js';
import { BODY_LIMIT_BYTES } from '../../src/api/app.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { candidate, get, ingest, newKey, startApi, type RunningApi } from './support/server.js';

interface ErrorEnvelope {
  error: { code: string; message: string; details?: unknown; request_id: string };
}

async function expectError(res: Response, status: number, code: string, message?: RegExp): Promise<ErrorEnvelope> {
  const body = (await res.json()) as ErrorEnvelope;
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(body.error.code).toBe(code);
  expect(body.error.request_id).toMatch(/^req_[0-9a-f]{32}$/);
  expect(res.headers.get('x-request-id')).toBe(body.error.request_id);
  if (message) expect(body.error.message).toMatch(message);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack trace
  return body;
}

describe.each(DATABASE_KINDS)('API errors on %s', (kind) => {
  let api: RunningApi;
  let pro: string;
  let free: string;

  beforeAll(async () => {
    api = await startApi(kind);
    pro = (await newKey(api.deps, 'pro')).key;
    free = (await newKey(api.deps, 'free')).key;
    await ingest(api.store, [candidate(1)]);
  });
  afterAll(async () => api?.close());

  it('401 missing_api_key without a key', async () => {
    const res = await get(api, '/api/v1/iocs');
    await expectError(res, 401, 'missing_api_key', /API key is required/);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it.each([
    ['garbage', 'Bearer hello', 'invalid_api_key'],
    ['a well-formed unknown key', `Bearer sk_live_${'A'.repeat(32)}`, 'invalid_api_key'],
    ['an empty Bearer', 'Bearer ', 'missing_api_key'],
    ['an unknown scheme', 'Token abc', 'missing_api_key'],
  ])('401 for %s', async (_label, authorization, code) => {
    await expectError(await fetch(`${api.url}/api/v1/iocs`, { headers: { authorization } }), 401, code);
  });

  it('401 invalid_api_key for a revoked key, on its next request', async () => {
    const k = await newKey(api.deps, 'pro');
    expect((await get(api, '/api/v1/iocs', k.key)).status).toBe(200);
    await api.deps.keys.revoke(k.id, 'leaked', new Date().toISOString());
    await expectError(await get(api, '/api/v1/iocs', k.key), 401, 'invalid_api_key', /revoked/);
  });

  it('401 expired_api_key for an expired key', async () => {
    const k = await newKey(api.deps, 'pro', { expiresInDays: 1 });
    expect((await get(api, '/api/v1/iocs', k.key)).status).toBe(200);
    await api.store.db.updateTable('api_keys').set({ expires_at: '2020-01-01T00:00:00.000Z' }).where('id', '=', k.id).execute();
    await expectError(await get(api, '/api/v1/iocs', k.key), 401, 'expired_api_key', /expired at 2020-01-01/);
  });

  it('accepts HTTP Basic with the key as password (TAXII clients)', async () => {
    const basic = Buffer.from(`apikey:${pro}`).toString('base64');
    expect((await get(api, '/api/v1/iocs', undefined, { authorization: `Basic ${basic}` })).status).toBe(200);
  });

  const params: Array<[string, string, string, RegExp, string]> = [
    ['unknown type', '?type=ipv4,bogus', 'invalid_parameter', /unknown type "bogus"/, 'type'],
    ['bad date', '?since=last-tuesday', 'invalid_parameter', /not an ISO 8601/, 'since'],
    ['bad enum', '?confidence=extreme', 'invalid_parameter', /confidence must be one of: high, medium, low/, 'confidence'],
    ['bad integer', '?limit=abc', 'invalid_parameter', /limit/, 'limit'],
    ['limit below 1', '?limit=0', 'invalid_parameter', /limit/, 'limit'],
    ['bad format', '?format=xml', 'invalid_parameter', /format must be one of/, 'format'],
    ['bad cursor', '?cursor=bm90LWEtY3Vyc29y', 'invalid_cursor', /cursor/, 'cursor'],
    ['cursor with offset', `?cursor=${encodeCursor(1)}&offset=3`, 'invalid_parameter', /offset/, 'offset'],
  ];
  it.each(params)('400 for %s, naming the parameter', async (_label, query, code, message, parameter) => {
    const body = await expectError(await get(api, `/api/v1/iocs${query}`, pro), 400, code, message);
    expect(JSON.stringify(body.error.details)).toContain(`"parameter":"${parameter}"`);
  });

  it('400 limit_exceeded for a limit over the plan, naming the plan', async () => {
    const body = await expectError(await get(api, '/api/v1/iocs?limit=101', free), 400, 'limit_exceeded', /free plan's 100/);
    expect(body.error.details).toMatchObject({ parameter: 'limit', max: 100, plan: 'free' });
  });

  it('403 lookback_exceeded for a since past the lookback', async () => {
    const since = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const body = await expectError(await get(api, `/api/v1/iocs?since=${since}`, free), 403, 'lookback_exceeded', /1 day/);
    expect(body.error.details).toMatchObject({ parameter: 'since', lookback_days: 1, plan: 'free' });
    expect((await get(api, `/api/v1/iocs?since=${since}`, pro)).status).toBe(200);
  });

  it('403 naming the plan for a format above it', async () => {
    for (const format of ['csv', 'txt', 'ndjson']) {
      const body = await expectError(
        await get(api, `/api/v1/iocs?format=${format}`, free),
        403,
        'plan_upgrade_required',
        new RegExp(`format=${format} is not included in the free plan; it needs the pro plan`),
      );
      expect(body.error.details).toMatchObject({ plan: 'free', required_plan: 'pro' });
    }
  });

  it('JSON 404 not_found for unknown routes', async () => {
    await expectError(await get(api, '/api/v1/nothing-here', pro), 404, 'not_found', /no route GET \/api\/v1\/nothing-here/);
    await expectError(await get(api, '/totally/unknown'), 404, 'not_found');
  });
});

describe('API errors from bodies and crashes', () => {
  let api: RunningApi;
  beforeAll(async () => {
    // Test-only routes, added to a second app before it listens, exercise body limits and crashes.
    const { buildApp } = await import('../../src/api/app.js');
    api = await startApi('sqlite');
    await api.app.close();
    const app = await buildApp({ store: api.store, config: api.config, logger: false });
    app.post('/test/echo', async (request) => ({ size: JSON.stringify(request.body).length }));
    app.get('/test/crash', async () => {
      throw new Error('database password is hunter2');
    });
    api.app = app;
    api.url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => api?.close());

  it('413 payload_too_large above the body limit', async () => {
    const big = JSON.stringify({ x: 'a'.repeat(BODY_LIMIT_BYTES) });
    const res = await fetch(`${api.url}/test/echo`, { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
    await expectError(res, 413, 'payload_too_large', /larger than the limit of 1048576 bytes/);
    const ok = await fetch(`${api.url}/test/echo`, { method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(200);
  });

  it('400 invalid_body for malformed JSON, 415 for unknown media types', async () => {
    const post = (body: string, type: string) =>
      fetch(`${api.url}/test/echo`, { method: 'POST', body, headers: { 'content-type': type } });
    await expectError(await post('{"x":', 'application/json'), 400, 'invalid_body');
    await expectError(await post('x', 'application/x-whatever'), 415, 'unsupported_media_type');
  });

  it('500 with a generic message: no stack trace, no internal detail', async () => {
    const res = await fetch(`${api.url}/test/crash`);
    const body = await expectError(res, 500, 'internal_error', /internal error; quote request id req_/);
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(body.error.details).toBeUndefined();
  });

  it('sets helmet security headers on every response', async () => {
    const res = await fetch(`${api.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
    const err = await fetch(`${api.url}/test/crash`);
    expect(err.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('sets the OWASP REST set of security headers on API responses, errors included', async () => {
    const pro = (await newKey(api.deps, 'pro')).key;
    for (const res of [await get(api, '/api/v1/iocs', pro), await get(api, '/api/v1/iocs')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
      // Document-only headers are left to HTML responses.
      expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    const ok = await get(api, '/api/v1/iocs', pro);
    expect(ok.headers.get('x-ratelimit-limit')).not.toBeNull();
    // A route that allows caching still sets its own Cache-Control.
    expect((await get(api, '/api/v1/iocs/stats', pro)).headers.get('cache-control')).toMatch(/^private, max-age=/);
  });

  it('answers /healthz without a key', async () => {
    const res = await fetch(`${api.url}/healthz`);
    expect(await res.json()).toMatchObject({ status: 'ok', iocs: { total: 0, lastVersion: 0 } });
  });
});
