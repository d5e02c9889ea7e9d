/**
 * Dashboard sessions: sign-in sets an HttpOnly, SameSite=Strict cookie (Secure and __Host- over
 * TLS); wrong credentials are refused alike for known and unknown e-mails and slowed down after
 * repeated failures; every state change needs the session's CSRF token from the same origin;
 * sign-out, expiry and a disabled account end the session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { blockDurationMs, retryAfterSeconds, THROTTLE } from '../../src/api/sign-in.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { PASSWORD, SessionClient, dashboardUser, errorCode } from './support/dashboard-session.js';
import { startApi, testConfig, type RunningApi } from './support/server.js';

describe('sign-in slow-down schedule', () => {
  it.each([
    [0, 0],
    [4, 0],
    [5, 1000],
    [6, 2000],
    [8, 8000],
    [15, 900_000],
    [60, 900_000],
  ])('%i failures of one e-mail block it for %i ms', (failures, ms) => {
    expect(blockDurationMs(failures, THROTTLE.perEmail)).toBe(ms);
  });

  it('waits for the latest block in force', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds([], now)).toBe(0);
    expect(
      retryAfterSeconds(
        [
          { failures: 5, windowStart: '', blockedUntil: '2026-01-01T00:00:01.500Z' },
          { failures: 9, windowStart: '', blockedUntil: '2026-01-01T00:00:10.000Z' },
          { failures: 1, windowStart: '', blockedUntil: null },
        ],
        now,
      ),
    ).toBe(10);
    expect(retryAfterSeconds([{ failures: 5, windowStart: '', blockedUntil: '2025-12-31T23:59:59.000Z' }], now)).toBe(0);
  });
});

describe.each(DATABASE_KINDS)('dashboard session (%s)', (kind) => {
  let api: RunningApi;
  const signInRequest = (email: string, password: string, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${api.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email, password }),
    });

  beforeAll(async () => {
    api = await startApi(kind);
  });
  afterAll(async () => api?.close());

  it('signs in with an HttpOnly, SameSite=Strict session cookie and reports the user', async () => {
    const user = await dashboardUser(api.deps, 'member');
    const res = await signInRequest(user.email.toUpperCase(), PASSWORD);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^socd_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { data: { user: { email: string; role: string }; csrf_token: string } };
    expect(body.data.user).toMatchObject({ email: user.email, role: 'member' });
    const me = await fetch(`${api.url}/api/session`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as typeof body).data.csrf_token).toBe(body.data.csrf_token);
    // The session id in the database is a hash, never the cookie's token.
    const token = cookie.slice('socd_session='.length, cookie.indexOf(';'));
    const rows = await api.store.db.withTables<{ sessions: { id: string; user_id: string } }>().selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).not.toContain(token);
  });

  it('uses a Secure __Host- cookie when the request came over TLS', async () => {
    const user = await dashboardUser(api.deps, 'member');
    // Behind a TLS-terminating load balancer (trust_proxy), as X-Forwarded-Proto says.
    const app = await buildApp({ store: api.store, config: { ...testConfig(api.db.url), trustProxy: true }, logger: false });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/api/session',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        payload: { email: user.email, password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/^__Host-socd_session=[A-Za-z0-9_-]{43};/);
      expect(cookie).toContain('Secure');
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).not.toContain('Domain');
      const me = await app.inject({ url: '/api/session', headers: { cookie: cookie.split(';')[0] ?? '', 'x-forwarded-proto': 'https' } });
      expect(me.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers a wrong password and an unknown e-mail alike', async () => {
    const user = await dashboardUser(api.deps, 'member');
    const wrong = await signInRequest(user.email, 'not the password at all');
    const unknown = await signInRequest(`nobody-${Date.now()}@example.com`, PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const a = (await wrong.json()) as { error: { code: string; message: string } };
    const b = (await unknown.json()) as { error: { code: string; message: string } };
    expect(a.error.code).toBe('invalid_credentials');
    expect(b.error).toMatchObject({ code: a.error.code, message: a.error.message });
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('slows down repeated failures, even for the right password, then lets it in', async () => {
    const user = await dashboardUser(api.deps, 'member');
    for (let i = 0; i < THROTTLE.perEmail; i++) expect((await signInRequest(user.email, `wrong password ${i}`)).status).toBe(401);
    const blocked = await signInRequest(user.email, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(await errorCode(blocked)).toBe('rate_limit_exceeded');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Other accounts are not blocked by this one's failures.
    const other = await dashboardUser(api.deps, 'member');
    expect((await signInRequest(other.email, PASSWORD)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(200);
    // Success clears the e-mail's count: one more failure does not block.
    expect((await signInRequest(user.email, 'wrong again')).status).toBe(401);
    expect((await signInRequest(user.email, PASSWORD)).status).toBe(200);
  });

  it('refuses a sign-in posted from another site', async () => {
    const user = await dashboardUser(api.deps, 'member');
    const res = await signInRequest(user.email, PASSWORD, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('csrf_token_invalid');
    const form = await fetch(`${api.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=${encodeURIComponent(user.email)}&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(form.status).toBe(415);
  });

  it('needs the CSRF token, from the same origin, on every state change', async () => {
    const user = await dashboardUser(api.deps, 'member');
    const s = await SessionClient.signIn(api.url, user.email);
    const post = (headers: Record<string, string>): Promise<Response> =>
      fetch(`${api.url}/api/v1/keys`, {
        method: 'POST',
        headers: { cookie: s.cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: 'csrf' }),
      });
    const refused: Array<Record<string, string>> = [{}, { 'x-csrf-token': 'forged' }, { 'x-csrf-token': `${s.csrf}x` }];
    for (const headers of refused) {
      const res = await post(headers);
      expect(res.status).toBe(403);
      expect(await errorCode(res)).toBe('csrf_token_invalid');
    }
    const crossSite = await post({ 'x-csrf-token': s.csrf, origin: 'http://evil.example' });
    expect(crossSite.status).toBe(403);
    const fetchMeta = await post({ 'x-csrf-token': s.csrf, 'sec-fetch-site': 'cross-site' });
    expect(fetchMeta.status).toBe(403);
    expect(await api.deps.keys.list(user.id)).toEqual([]);
    expect((await post({ 'x-csrf-token': s.csrf, origin: api.url, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    // Another session's token does not fit this one.
    const other = await SessionClient.signIn(api.url, user.email);
    expect(other.csrf).not.toBe(s.csrf);
    expect((await post({ 'x-csrf-token': other.csrf })).status).toBe(403);
  });

  it('signs out: the cookie is cleared and the session is gone', async () => {
    const user = await dashboardUser(api.deps, 'member');
    const s = await SessionClient.signIn(api.url, user.email);
    const out = await s.request('DELETE', '/api/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^socd_session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await s.request('GET', '/api/session');
    expect(after.status).toBe(401);
    expect(await errorCode(after)).toBe('authentication_required');
  });

  it('ends expired sessions and ignores forged cookies', async () => {
    const user = await dashboardUser(api.deps, 'member');
    const s = await SessionClient.signIn(api.url, user.email);
    await api.store.db
      .withTables<{ sessions: { user_id: string; expires_at: string } }>()
      .updateTable('sessions')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('user_id', '=', user.id)
      .execute();
    expect((await s.request('GET', '/api/session')).status).toBe(401);
    for (const cookie of ['socd_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'socd_session=../../etc', 'socd_session=']) {
      expect((await fetch(`${api.url}/api/session`, { headers: { cookie } })).status).toBe(401);
    }
  });

  it('does not let a disabled account sign in', async () => {
    const user = await dashboardUser(api.deps, 'member');
    await api.deps.accounts.setDisabled(user.id, true);
    const res = await signInRequest(user.email, PASSWORD);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('forbidden');
  });
});
