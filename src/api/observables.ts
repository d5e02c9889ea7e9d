/**
 * Observable input shared by search, lookup and match: the optional `type` hint (with the hosted
 * product's `mitre_attack` spelling) and normalization of what a user pasted (defanged, quoted,
 * any case) into the canonical (type, value) the store is keyed by.
 */
import type { FastifyRequest } from 'fastify';
import { normalize, type NormalizeResult } from '../domain/normalize.js';
import { IOC_TYPES, IOC_TYPE_ALIASES, isIocType, type IocType } from '../domain/vocabulary.js';
import { invalidParameter } from './errors.js';
import type { ApiKeyIdentity } from './types.js';

/** The longest observable accepted, as the hosted lookup documents (`ioc` ≤ 2048 characters). */
export const MAX_OBSERVABLE_LENGTH = 2048;

/** The IOC type named by a `type` parameter, or undefined when absent; 400 naming it when unknown. */
export function parseTypeParam(raw: string | undefined, parameter = 'type'): IocType | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const t = raw.trim().toLowerCase();
  const type = IOC_TYPE_ALIASES[t] ?? t;
  if (!isIocType(type)) {
    throw invalidParameter(parameter, `unknown type "${raw.trim()}"; expected one of: ${IOC_TYPES.join(', ')}`, {
      value: raw.trim(),
      allowed: IOC_TYPES,
    });
  }
  return type;
}

/**
 * Canonical form of a user's observable. Internal (private, reserved) values are accepted:
 * an operator's internal feeds may hold them, and asking about one is not an error.
 *
 * @example normalizeObservable('hxxp://evil[.]com/x') // { ok: true, type: 'url', value: 'http://evil.com/x' }
 */
export function normalizeObservable(raw: string, type?: IocType): NormalizeResult {
  return normalize(raw, type, { allowInternal: true });
}

/** The API key of an authenticated route (every `/api/v1` route is). */
export function callerOf(request: FastifyRequest): ApiKeyIdentity {
  const key = request.apiKey;
  if (!key) throw new Error('authenticated route reached without an API key');
  return key;
}

/** The `meta` block of the hosted product's single-object responses (search, lookup). */
export function responseMeta(now: Date): { generated_at: string; feed_version: '1.0'; source: 'SOC Defenders' } {
  return { generated_at: now.toISOString(), feed_version: '1.0', source: 'SOC Defenders' };
}
