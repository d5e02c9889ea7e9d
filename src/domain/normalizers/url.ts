import { domainToASCII } from 'node:url';
import { accept, reject, shown, type NormalizeOptions, type NormalizeRejection, type NormalizeResult } from '../normalize-result.js';
import { canonicalHostname } from './domain.js';
import { canonicalIp, ipProblem, parseIp } from './ip.js';

const WITH_SCHEME = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is;
/** `mailto:`, `data:`, `http:/x`: a scheme but no `//authority`, so no host to act on. */
const SCHEME_WITHOUT_AUTHORITY = /^[a-z][a-z0-9+-]*:(?!\d+(?:[/?#]|$))/i;
const EMAIL_SHAPED = /^[^\s/@]+@[^\s/@]+$/;
/** Schemes whose empty path means `/` and whose default port may be dropped (RFC 3986 §6.2.3). */
const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ftp: '21', ws: '80', wss: '443' };

/**
 * Normalizes a `url` indicator: lower-case scheme, canonical host (punycode domain or public IP),
 * default port dropped, empty HTTP path written `/`. Userinfo, path, query and fragment are kept
 * as given (only spaces and non-ASCII characters are percent-encoded, as a browser sends them):
 * decoding or resolving `..` would change what the URL points at. A value without a scheme
 * (`evil.com/path`) is taken as `http://`.
 */
export function normalizeUrl(text: string, opts: NormalizeOptions): NormalizeResult {
  if (/[\u0000-\u001f\u007f]/.test(text)) return reject('invalid_url', `${shown(text)} contains control characters`);
  let m = WITH_SCHEME.exec(text);
  if (m === null) {
    if (text.startsWith('//')) m = WITH_SCHEME.exec(`http:${text}`);
    else if (SCHEME_WITHOUT_AUTHORITY.test(text)) return reject('url_without_host', `${shown(text)} has no host`);
    else if (EMAIL_SHAPED.test(text)) return reject('type_mismatch', `${shown(text)} is an email address, not a URL`);
    else m = WITH_SCHEME.exec(`http://${text}`);
  }
  const scheme = (m?.[1] ?? '').toLowerCase();
  const rest = m?.[2] ?? '';
  const special = scheme in DEFAULT_PORTS;
  const authorityEnd = rest.search(special ? /[/?#\\]/ : /[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  let tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  if (authority === '') return reject('url_without_host', `${shown(text)} has no host`);

  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? '' : authority.slice(0, at + 1);
  const hostAndPort = splitPort(authority.slice(at + 1));
  if (hostAndPort === null) return reject('invalid_url', `${shown(text)} has an invalid host or port`);
  if (hostAndPort.host === '') return reject('url_without_host', `${shown(text)} has no host`);
  const host = canonicalUrlHost(hostAndPort.host, opts);
  if (!host.ok) return { ...host, reason: `URL host: ${host.reason}` };
  const port = hostAndPort.port === null || hostAndPort.port === DEFAULT_PORTS[scheme] ? '' : `:${hostAndPort.port}`;

  if (special && (tail === '' || tail.startsWith('?') || tail.startsWith('#'))) tail = `/${tail}`;
  const encodedUserinfo = percentEncodeUnsafe(userinfo);
  const encodedTail = percentEncodeUnsafe(tail);
  if (encodedUserinfo === null || encodedTail === null) return reject('invalid_url', `${shown(text)} contains malformed Unicode`);
  return accept('url', `${scheme}://${encodedUserinfo}${host.value}${port}${encodedTail}`);
}

/** Host and port (port digits without leading zeros, or null), or null when the port is not a port. */
function splitPort(hostPort: string): { host: string; port: string | null } | null {
  const bracketEnd = hostPort.startsWith('[') ? hostPort.indexOf(']') : -1;
  const colon = hostPort.lastIndexOf(':');
  if (hostPort.startsWith('[') && bracketEnd < 0) return null;
  if (colon < 0 || colon < bracketEnd) return { host: hostPort, port: null };
  const portText = hostPort.slice(colon + 1);
  if (portText === '') return { host: hostPort.slice(0, colon), port: null };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return null;
  return { host: hostPort.slice(0, colon), port: String(Number(portText)) };
}

/**
 * A URL host as a browser would resolve it: the WHATWG host parser (`domainToASCII`) decodes
 * `%xx`, maps IDN to punycode and reads numeric IPv4 forms (`0x7f.1` is 127.0.0.1), so
 * obfuscated hosts canonicalize to the address actually contacted.
 */
function canonicalUrlHost(host: string, opts: NormalizeOptions): { ok: true; value: string } | NormalizeRejection {
  if (host.startsWith('[')) {
    const ip = parseIp(host);
    if (ip === null || !ip.ok) return reject('invalid_ipv6', `${shown(host)} is not a valid IPv6 address`);
    if (ip.ip.prefix !== null) return reject('invalid_url', `${shown(host)} is a network block, not a host`);
    const problem = ipProblem(ip.ip, opts);
    if (problem !== null) return reject('non_public_address', `${shown(canonicalIp(ip.ip))} ${problem}`);
    const value = canonicalIp(ip.ip);
    return { ok: true, value: ip.ip.family === 'ipv6' ? `[${value}]` : value };
  }
  const ascii = domainToASCII(host.toLowerCase());
  if (ascii === '') return reject('invalid_domain', `${shown(host)} is not a valid host name`);
  const ip = parseIp(ascii);
  if (ip !== null && ip.ok) {
    const problem = ipProblem(ip.ip, opts);
    if (problem !== null) return reject('non_public_address', `${shown(ascii)} ${problem}`);
    return { ok: true, value: canonicalIp(ip.ip) };
  }
  return canonicalHostname(ascii, opts);
}

/** Percent-encodes spaces, non-ASCII and other bytes never legal in a URL; existing `%xx` stays. */
function percentEncodeUnsafe(text: string): string | null {
  try {
    return text.replace(/[^\u0021-\u007e]/gu, (ch) => encodeURIComponent(ch));
  } catch {
    return null;
  }
}
