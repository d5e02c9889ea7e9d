import { isIocType, type IocType } from './vocabulary.js';
import { detectRefanged } from './detect.js';
import {
  MAX_VALUE_LENGTH,
  reject,
  shown,
  type NormalizeOptions,
  type NormalizeResult,
} from './normalize-result.js';
import { refang } from './refang.js';
import { normalizeCve } from './normalizers/cve.js';
import { normalizeDomain } from './normalizers/domain.js';
import { normalizeEmail } from './normalizers/email.js';
import { normalizeHash } from './normalizers/hash.js';
import { normalizeIp } from './normalizers/ip.js';
import { normalizeTechnique } from './normalizers/mitre-attack.js';
import { normalizeUrl } from './normalizers/url.js';

export { REJECT_CODES, type NormalizeOptions, type NormalizeResult, type RejectCode } from './normalize-result.js';

/** Raw input beyond this is refused before any work: refanging cannot shrink it under the limit. */
const MAX_RAW_LENGTH = MAX_VALUE_LENGTH * 4;

/**
 * Turns one raw indicator from a feed, a user or an API call into its canonical form
 * (DESIGN.md §5), or says why it is not one. Refangs first; detects the type when none is
 * given. `result.type` is the true type: an IPv4-mapped IPv6 address comes back as ipv4 even
 * when `type` says ipv6, so one host is one IOC whatever the feed called it.
 *
 * @example normalize('hxxps://evil[.]com/a?b=1')  // { ok: true, type: 'url', value: 'https://evil.com/a?b=1' }
 * @example normalize('1.2.3.4:8080', 'ipv4')      // { ok: true, type: 'ipv4', value: '1.2.3.4' }
 * @example normalize('10.0.0.1')                  // { ok: false, code: 'non_public_address', ... }
 * @example normalize('10.0.0.1', undefined, { allowInternal: true }) // ok
 */
export function normalize(raw: string, type?: IocType, opts: NormalizeOptions = {}): NormalizeResult {
  if (raw.length > MAX_RAW_LENGTH) return reject('too_long', `value is longer than ${MAX_VALUE_LENGTH} characters`);
  const text = refang(raw);
  if (text === '') return reject('empty', 'value is empty');
  if (text.length > MAX_VALUE_LENGTH) return reject('too_long', `value is longer than ${MAX_VALUE_LENGTH} characters`);
  if (type !== undefined && !isIocType(type)) return reject('unknown_type', `${shown(String(type))} is not an IOC type`);
  const effective = type ?? detectRefanged(text);
  if (effective === null) return reject('unknown_type', `${shown(text)} is not a recognizable indicator`);
  const result = normalizeAs(text, effective, opts);
  if (result.ok && result.value.length > MAX_VALUE_LENGTH) {
    return reject('too_long', `value is longer than ${MAX_VALUE_LENGTH} characters once normalized`);
  }
  return result;
}

function normalizeAs(text: string, type: IocType, opts: NormalizeOptions): NormalizeResult {
  switch (type) {
    case 'ipv4':
    case 'ipv6':
      return normalizeIp(text, type, opts);
    case 'domain':
      return normalizeDomain(text, opts);
    case 'url':
      return normalizeUrl(text, opts);
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return normalizeHash(text, type);
    case 'cve':
      return normalizeCve(text);
    case 'email':
      return normalizeEmail(text, opts);
    case 'mitre-attack':
      return normalizeTechnique(text);
  }
}
