/**
 * A signed-in dashboard session for the API suites: signs in through `POST /api/session` and
 * sends the cookie (and the CSRF token on changes) as the dashboard does.
 */
import { createUser, type AccountDeps } from '../../../src/api/accounts.js';
import type { User } from '../../../src/store/accounts-repository.js';

export const PASSWORD = 'dashboard passphrase';

export class SessionClient {
  constructor(
    readonly url: string,
    readonly cookie: string,
    readonly csrf: string,
    readonly user: { id: string; email: string; role: string; plan: string },
  ) {}

  static async signIn(url: string, email: string, password = PASSWORD): Promise<SessionClient> {
    const res = await fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const body = (await res.json()) as { data: { csrf_token: string; user: SessionClient['user'] } };
    return new SessionClient(url, cookie, body.data.csrf_token, body.data.user);
  }

  /** A request with the session cookie, and the CSRF token on anything but GET. */
  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { cookie: this.cookie };
    if (method !== 'GET') h['x-csrf-token'] = this.csrf;
    Object.assign(h, headers);
    if (body !== undefined) h['content-type'] = 'application/json';
    return fetch(`${this.url}${path}`, { method, headers: h, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  }

  async json<T>(method: string, path: string, body?: unknown, expected = 200): Promise<T> {
    const res = await this.request(method, path, body);
    const text = await res.text();
    if (res.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}

let seq = 0;

/** A user with the shared test password. */
export async function dashboardUser(deps: AccountDeps, role: 'admin' | 'member', plan = 'free'): Promise<User> {
  return createUser(deps, { email: `${role}${++seq}-${Date.now()}@example.com`, password: PASSWORD, role, plan });
}

/** The error envelope's code of a response. */
export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code ?? '';
}
