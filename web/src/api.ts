/**
 * The dashboard's only door to the server: same-origin JSON requests with the session cookie,
 * the CSRF token on every change, and errors as values with the server's code and message.
 */

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

let csrfToken: string | null = null;
let onSignedOut: () => void = () => undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (expired, signed out elsewhere). */
export function setSignedOutHandler(handler: () => void): void {
  onSignedOut = handler;
}

interface ErrorEnvelope {
  error?: { code?: unknown; message?: unknown };
}

export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) init.body = JSON.stringify(body);
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiFailure(0, 'network_error', 'the server cannot be reached');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = (json as ErrorEnvelope | null)?.error;
    const code = typeof err?.code === 'string' ? err.code : 'http_error';
    const message = typeof err?.message === 'string' ? err.message : `the server answered ${res.status}`;
    if (res.status === 401 && code === 'authentication_required' && path !== '/api/session') onSignedOut();
    throw new ApiFailure(res.status, code, message);
  }
  return json as T;
}

export const get = <T>(path: string): Promise<T> => request<T>('GET', path);

/** `path?k=v&...` with empty values left out. */
export function withQuery(path: string, params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
