import { accept, reject, shown, type NormalizeOptions, type NormalizeResult } from '../normalize-result.js';
import { canonicalHostname } from './domain.js';

/** RFC 5322 dot-atom characters, plus non-ASCII for internationalized addresses (RFC 6531). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+)*$/u;
const MAX_LOCAL = 64;
const MAX_ADDRESS = 254;

/**
 * Normalizes an `email` indicator: the local part is kept exactly as given (mail servers may
 * treat case and `+tags` as significant), the domain is canonical like a `domain` indicator.
 * Quoted local parts and `[address literal]` domains are refused: no feed we know sends them.
 *
 * @example normalizeEmail('Alice+tag@Example.COM', {}) // ok: 'Alice+tag@example.com'
 */
export function normalizeEmail(text: string, opts: NormalizeOptions): NormalizeResult {
  const address = text.replace(/^mailto:/i, '');
  const at = address.indexOf('@');
  if (at < 0 || at !== address.lastIndexOf('@')) return reject('invalid_email', `${shown(text)} is not an email address (needs exactly one @)`);
  const local = address.slice(0, at);
  const domainPart = address.slice(at + 1);
  if (local.length === 0 || local.length > MAX_LOCAL || !LOCAL_PART.test(local)) {
    return reject('invalid_email', `${shown(text)} has an invalid local part`);
  }
  if (domainPart.startsWith('[') || /[/?#:%\\]/.test(domainPart)) return reject('invalid_email', `${shown(text)} has an invalid domain`);
  const domain = canonicalHostname(domainPart, opts);
  if (!domain.ok) return { ...domain, reason: `email domain: ${domain.reason}` };
  const value = `${local}@${domain.value}`;
  if (value.length > MAX_ADDRESS) return reject('invalid_email', `${shown(text)} is longer than ${MAX_ADDRESS} characters`);
  return accept('email', value);
}

/** Shaped like `local@domain.tld`; used only to guess a type. */
export function looksLikeEmail(text: string): boolean {
  return /^(?:mailto:)?[^\s@/:]+@[^\s@/:]+\.[^\s@/:.]+\.?$/i.test(text);
}
