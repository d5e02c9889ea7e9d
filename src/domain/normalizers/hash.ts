import { HASH_TYPES, type HashType } from '../vocabulary.js';
import { accept, reject, shown, type NormalizeResult } from '../normalize-result.js';

/** Hex digits in each hash type's digest. */
export const HASH_LENGTHS: Readonly<Record<HashType, number>> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

/** The hash type whose digest has this many hex digits, or null. */
export function hashTypeForLength(length: number): HashType | null {
  return HASH_TYPES.find((t) => HASH_LENGTHS[t] === length) ?? null;
}

/** Hex of a hash length: the length alone decides which hash it is. */
export function detectHash(text: string): HashType | null {
  return /^[0-9a-f]+$/i.test(text) ? hashTypeForLength(text.length) : null;
}

/** Normalizes a hash to lower-case hex of exactly its type's length; without `want`, the length picks the type. */
export function normalizeHash(text: string, want: HashType | undefined): NormalizeResult {
  const value = text.toLowerCase();
  if (!/^[0-9a-f]*$/.test(value)) return reject('non_hex_hash', `${shown(text)} contains characters that are not hexadecimal`);
  const byLength = hashTypeForLength(value.length);
  if (want !== undefined && HASH_LENGTHS[want] !== value.length) {
    const hint = byLength === null ? '' : ` (that is the length of ${byLength})`;
    return reject('invalid_hash_length', `${want} needs ${HASH_LENGTHS[want]} hex digits, got ${value.length}${hint}`);
  }
  if (byLength === null) return reject('invalid_hash_length', `${value.length} hex digits is not the length of md5, sha1, sha256 or sha512`);
  return accept(byLength, value);
}
