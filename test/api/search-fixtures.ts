/**
 * Fixtures shared by the search, lookup, match, stats and usage suites: IOC candidates with
 * explicit values and sources, JSON requests, and the literal extractor for hunting queries.
 * The server itself comes from ./support/server.ts (real server, real database).
 */
import type { IocCandidate } from '../../src/domain/ioc.js';
import type { Category, Confidence, IocType } from '../../src/domain/vocabulary.js';

export interface IocOptions {
  feed?: string;
  category?: Category;
  confidence?: Confidence;
  referenceUrl?: string | null;
  seen?: string;
  techniques?: string[];
  tags?: string[];
  threatType?: string | null;
  malware?: string | null;
  context?: string | null;
}

/** A candidate with a canonical `value` of `type`, reported by one source. */
export function ioc(type: IocType, value: string, o: IocOptions = {}): IocCandidate {
  const seen = o.seen ?? new Date().toISOString();
  const confidence = o.confidence ?? 'medium';
  return {
    type,
    value,
    confidence,
    source: {
      feed_name: o.feed ?? 'search-test-feed',
      category: o.category ?? 'community',
      origin: 'feed',
      reference_url: o.referenceUrl === undefined ? `https://feed.example/${type}/${encodeURIComponent(value)}` : o.referenceUrl,
      article_id: null,
      article_title: null,
      article_url: null,
      first_seen: seen,
      last_seen: seen,
      confidence,
      context: o.context ?? null,
    },
    tags: o.tags ?? ['test'],
    mitre_techniques: o.techniques ?? [],
    industries: [],
    threat_type: o.threatType ?? null,
    malware: o.malware ?? null,
    tlp: null,
    context: o.context ?? null,
  };
}

export function postJson(api: { url: string }, path: string, key: string | undefined, body: unknown): Promise<Response> {
  return fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Every double-quoted string literal of an SPL or KQL query, unescaped as those languages read it. */
export function literals(query: string): string[] {
  const out: string[] = [];
  for (const m of query.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
    out.push((m[1] ?? '').replace(/\\(.)/g, (_all, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c));
  }
  return out;
}

/** The `error` object of an error response, asserting the envelope. */
export async function errorOf(res: Response): Promise<{ code: string; message: string; details?: unknown; request_id: string }> {
  const body = (await res.json()) as { error?: { code: string; message: string; details?: unknown; request_id: string } };
  if (!body.error) throw new Error(`expected an error body, got ${JSON.stringify(body)}`);
  return body.error;
}

/** The default plans with quotas large enough for a suite's requests (features and result limits unchanged). */
export const ROOMY_PLANS = {
  free: { per_minute: 100_000, per_day: 10_000_000 },
  pro: { per_minute: 100_000, per_day: 10_000_000 },
};
