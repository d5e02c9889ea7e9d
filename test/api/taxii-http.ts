/** HTTP helpers for the TAXII tests: requests as TAXII clients send them, and typed answers. */
import { expect } from 'vitest';

export const TAXII = 'application/taxii+json;version=2.1';
export const ROOT = '/api/taxii2/api';

export interface StixLike {
  id: string;
  type: string;
  modified?: string;
  created?: string;
  revoked?: boolean;
  [k: string]: unknown;
}

export interface ObjectsEnvelope {
  more: boolean;
  next?: string;
  objects?: StixLike[];
}

export interface ManifestEnvelope {
  more: boolean;
  next?: string;
  objects?: Array<{ id: string; date_added: string; version: string; media_type: string }>;
}

export interface TaxiiAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

export function basic(key: string, user = 'apikey'): string {
  return `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
}

/** GET as a TAXII client: Basic auth with user `apikey`, the TAXII Accept header. */
export async function taxiiGet<T>(
  base: string,
  path: string,
  key: string | null,
  headers: Record<string, string> = {},
): Promise<TaxiiAnswer<T>> {
  const res = await fetch(`${base}${path}`, {
    headers: { accept: TAXII, ...(key ? { authorization: basic(key) } : {}), ...headers },
  });
  const text = await res.text();
  // Every TAXII answer, errors included, carries the TAXII media type and a JSON body.
  expect(res.headers.get('content-type'), `${path}: ${text}`).toBe(TAXII);
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as T };
}

export function qs(params: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}
