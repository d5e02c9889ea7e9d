import type { IocType } from './vocabulary.js';
import { refang } from './refang.js';
import { looksLikeCve } from './normalizers/cve.js';
import { looksLikeDomain } from './normalizers/domain.js';
import { looksLikeEmail } from './normalizers/email.js';
import { detectHash } from './normalizers/hash.js';
import { parseIp } from './normalizers/ip.js';
import { looksLikeTechnique } from './normalizers/mitre-attack.js';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** `host/path`, `host:port/path`, `host?query` without a scheme. */
const SCHEMELESS_URL = /^([^\s/?#@\\]+)[/?#]/;

/**
 * Guesses the IOC type of a raw value (refanged first), or null when it is none of them.
 * Order matters: a URL may contain an email or an IP, an email contains a domain, and a hex
 * string or `T1071` must not be taken for a name. Shape only: `10.0.0.1` is ipv4 and
 * `foo.invalidtld` is domain; whether they are acceptable is `normalize`'s call.
 *
 * @example detectType('hxxp://evil[.]com/x') // 'url'
 * @example detectType('::ffff:1.2.3.4')      // 'ipv4' (an IPv4-mapped address is that IPv4 address)
 */
export function detectType(raw: string): IocType | null {
  return detectRefanged(refang(raw));
}

/** detectType for a value that is already refanged (normalize has done it once). */
export function detectRefanged(text: string): IocType | null {
  if (text === '') return null;
  if (HAS_SCHEME.test(text)) return 'url';
  if (looksLikeEmail(text)) return 'email';
  const ip = parseIp(text);
  if (ip !== null) return ip.ok ? ip.ip.family : ip.family;
  const hash = detectHash(text);
  if (hash !== null) return hash;
  if (looksLikeCve(text)) return 'cve';
  if (looksLikeTechnique(text)) return 'mitre-attack';
  const schemeless = SCHEMELESS_URL.exec(text);
  if (schemeless !== null && isHostPort(schemeless[1] as string)) return 'url';
  if (looksLikeDomain(text)) return 'domain';
  return null;
}

function isHostPort(authority: string): boolean {
  const host = authority.replace(/:\d{1,5}$/, '');
  const ip = parseIp(host);
  return (ip !== null && ip.ok && ip.ip.prefix === null) || looksLikeDomain(host);
}
