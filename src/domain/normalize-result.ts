import type { IocType } from './vocabulary.js';

/**
 * Why a value was refused. Stable codes: ingest counts rejects per feed by code and the API
 * returns them to users, so a code is never renamed, only added.
 */
export const REJECT_CODES = [
  'empty',
  'too_long',
  'unknown_type',
  'type_mismatch',
  'invalid_ipv4',
  'invalid_ipv6',
  'invalid_cidr',
  'non_public_address',
  'invalid_domain',
  'no_public_suffix',
  'invalid_url',
  'url_without_host',
  'invalid_hash_length',
  'non_hex_hash',
  'invalid_cve',
  'invalid_email',
  'invalid_technique',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

/** A canonical IOC (`type` is always the true type, which may differ from the one asked for) or a reject. */
export type NormalizeResult =
  | { ok: true; type: IocType; value: string }
  | { ok: false; code: RejectCode; reason: string };

export type NormalizeRejection = Extract<NormalizeResult, { ok: false }>;

export interface NormalizeOptions {
  /**
   * Accept private, loopback, reserved and documentation addresses and domains without a public
   * suffix: for feeds the operator marks internal (DESIGN.md §5). Syntax rules still apply.
   */
  allowInternal?: boolean;
}

/** Longest canonical value we store: longer strings are payload dumps, not indicators. */
export const MAX_VALUE_LENGTH = 2048;

export function accept(type: IocType, value: string): NormalizeResult {
  return { ok: true, type, value };
}

export function reject(code: RejectCode, reason: string): NormalizeRejection {
  return { ok: false, code, reason };
}

/** The value as quoted in a reason: short enough for a log line or an API error message. */
export function shown(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}
