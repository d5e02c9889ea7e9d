/**
 * Opaque paging cursors: the version sequence number of the last IOC a client has seen, with a
 * checksum so that a truncated, edited or foreign cursor is refused (400 invalid_cursor) rather
 * than silently read as another position. Not a secret: anyone may page from any version.
 */
import { createHash } from 'node:crypto';

const PREFIX = 'c1';

function checksum(version: number): string {
  return createHash('sha256').update(`socd-cursor:${version}`).digest('base64url').slice(0, 8);
}

/** The cursor meaning "everything after `version`". */
export function encodeCursor(version: number): string {
  return Buffer.from(`${PREFIX}.${version}.${checksum(version)}`, 'utf8').toString('base64url');
}

/** The version a cursor stands for, or null when it is not one of ours. */
export function decodeCursor(cursor: string): number | null {
  if (cursor.length === 0 || cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return null;
  const text = parts[1] ?? '';
  if (!/^(0|[1-9][0-9]{0,15})$/.test(text)) return null;
  const version = Number(text);
  if (!Number.isSafeInteger(version) || parts[2] !== checksum(version)) return null;
  return version;
}
