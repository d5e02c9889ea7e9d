/**
 * TAXII `next` tokens: stateless and opaque. A token names the position of the last object a
 * client received (the IOC version sequence number; negative for the shared identity and
 * marking objects that open every collection), that object's date_added (the resume point a
 * page past the end reports), and a checksum of the collection and filters it was issued for.
 * Any process behind a load balancer can continue from it, at any later time, for as long as
 * the client repeats the same filters (TAXII 2.1 §3.4: `next` is used with the same filters).
 */
import { createHash } from 'node:crypto';

export interface TaxiiPosition {
  /** IOC version (> 0), or a shared object's negative position. */
  position: number;
  /** date_added of the object at `position` (fixed-width microsecond timestamp). */
  dateAdded: string;
}

const PREFIX = 't1';
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** A short digest of what a token is valid for: the collection and every match[] filter. */
export function filterKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 10);
}

function checksum(body: string): string {
  return createHash('sha256').update(`socd-taxii-next:${body}`).digest('base64url').slice(0, 8);
}

export function encodeNext(pos: TaxiiPosition, key: string): string {
  const body = `${PREFIX}.${pos.position}.${pos.dateAdded}.${key}`;
  return Buffer.from(`${body}.${checksum(body)}`, 'utf8').toString('base64url');
}

export type DecodedNext = { ok: true; pos: TaxiiPosition } | { ok: false; reason: 'malformed' | 'other_filters' };

/** The position a token stands for, if it is one of ours and was issued for `key`. */
export function decodeNext(token: string, key: string): DecodedNext {
  if (token.length === 0 || token.length > 200 || !/^[A-Za-z0-9_-]+$/.test(token)) return { ok: false, reason: 'malformed' };
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const parts = text.split('.');
  if (parts.length !== 6 || parts[0] !== PREFIX) return { ok: false, reason: 'malformed' };
  const [, pos = '', secs = '', micros = '', tokenKey = '', sum = ''] = parts;
  const dateAdded = `${secs}.${micros}`;
  const body = `${PREFIX}.${pos}.${dateAdded}.${tokenKey}`;
  if (sum !== checksum(body) || !/^-?(0|[1-9]\d{0,15})$/.test(pos) || !DATE.test(dateAdded)) {
    return { ok: false, reason: 'malformed' };
  }
  const position = Number(pos);
  if (!Number.isSafeInteger(position)) return { ok: false, reason: 'malformed' };
  if (tokenKey !== key) return { ok: false, reason: 'other_filters' };
  return { ok: true, pos: { position, dateAdded } };
}
