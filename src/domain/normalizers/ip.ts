import ipaddr from 'ipaddr.js';
import { accept, reject, shown, type NormalizeOptions, type NormalizeResult } from '../normalize-result.js';
import { nonPublicReason } from './ip-ranges.js';

export type IpFamily = 'ipv4' | 'ipv6';

/** An IP literal taken apart: one address, or a block when `prefix` is set. Ports are dropped. */
export interface ParsedIp {
  family: IpFamily;
  address: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number | null;
  /** The family as written: `::ffff:1.2.3.4` is written ipv6 but is the ipv4 address 1.2.3.4. */
  writtenAs: IpFamily;
}

export type ParseOutcome =
  | { ok: true; ip: ParsedIp }
  | { ok: false; family: IpFamily; code: 'invalid_ipv4' | 'invalid_ipv6' | 'invalid_cidr'; reason: string };

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV4_WITH_SUFFIX = /^(\d{1,3}(?:\.\d{1,3}){3})(?:\/(\d*)|:(\d*))?$/;

/**
 * Parses the IP forms feeds use: `1.2.3.4`, `1.2.3.0/24`, `1.2.3.4:8080` (ThreatFox ip:port),
 * `2001:db8::1`, `2001:db8::/32`, `[2001:db8::1]:443`. An IPv4-mapped IPv6 address
 * (`::ffff:1.2.3.4`) comes back as the IPv4 address it is. Returns null when the text is not
 * shaped like an IP at all, so callers can tell "not an IP" from "a broken IP".
 */
export function parseIp(text: string): ParseOutcome | null {
  const v4 = IPV4_WITH_SUFFIX.exec(text);
  if (v4) return parseIpv4(v4[1] as string, v4[2], v4[3]);
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    const after = close < 0 ? '' : text.slice(close + 1);
    if (close < 0 || !/^(?::\d*)?$/.test(after)) return { ok: false, family: 'ipv6', code: 'invalid_ipv6', reason: `${shown(text)} is not a valid [IPv6]:port` };
    const port = after === '' ? undefined : after.slice(1);
    return parseIpv6(text.slice(1, close), port);
  }
  if (/:.*:/.test(text) && /^[0-9a-fA-F:.]+(?:%[\w.-]+)?(?:\/\d*)?$/.test(text)) return parseIpv6(text, undefined);
  return null;
}

function parseIpv4(dotted: string, prefixText: string | undefined, portText: string | undefined): ParseOutcome {
  // Leading zeros are read as decimal (`010.0.0.1` is 10.0.0.1): feeds zero-pad for alignment,
  // they do not mean octal.
  const octets = (DOTTED_QUAD.exec(dotted) ?? []).slice(1).map(Number);
  if (octets.length !== 4 || octets.some((o) => o > 255)) {
    return { ok: false, family: 'ipv4', code: 'invalid_ipv4', reason: `${shown(dotted)} is not a valid IPv4 address` };
  }
  if (portText !== undefined && !validPort(portText)) {
    return { ok: false, family: 'ipv4', code: 'invalid_ipv4', reason: `${shown(portText)} is not a valid port` };
  }
  const prefix = prefixText === undefined ? null : parsePrefix(prefixText, 32);
  if (prefix === undefined) return { ok: false, family: 'ipv4', code: 'invalid_cidr', reason: `/${prefixText ?? ''} is not an IPv4 prefix length (0-32)` };
  return { ok: true, ip: { family: 'ipv4', address: new ipaddr.IPv4(octets), prefix, writtenAs: 'ipv4' } };
}

function parseIpv6(text: string, portText: string | undefined): ParseOutcome {
  const slash = text.indexOf('/');
  const addressText = slash < 0 ? text : text.slice(0, slash);
  if (addressText.includes('%')) {
    return { ok: false, family: 'ipv6', code: 'invalid_ipv6', reason: `${shown(text)} has a zone index, which is only meaningful on one host` };
  }
  if (!ipaddr.IPv6.isValid(addressText)) return { ok: false, family: 'ipv6', code: 'invalid_ipv6', reason: `${shown(addressText)} is not a valid IPv6 address` };
  if (portText !== undefined && !validPort(portText)) {
    return { ok: false, family: 'ipv6', code: 'invalid_ipv6', reason: `${shown(portText)} is not a valid port` };
  }
  const prefix = slash < 0 ? null : parsePrefix(text.slice(slash + 1), 128);
  if (prefix === undefined) return { ok: false, family: 'ipv6', code: 'invalid_cidr', reason: `${shown(text)} has no valid IPv6 prefix length (0-128)` };
  const address = ipaddr.IPv6.parse(addressText);
  if (address.isIPv4MappedAddress() && (prefix === null || prefix >= 96)) {
    const v4prefix = prefix === null ? null : prefix - 96;
    return { ok: true, ip: { family: 'ipv4', address: address.toIPv4Address(), prefix: v4prefix, writtenAs: 'ipv6' } };
  }
  return { ok: true, ip: { family: 'ipv6', address, prefix, writtenAs: 'ipv6' } };
}

/** Empty means "no port" (`1.2.3.4:`), which browsers and feeds both write. */
function validPort(text: string): boolean {
  return text === '' || (/^\d{1,5}$/.test(text) && Number(text) <= 65535);
}

/** The prefix length, or undefined when it is not a number in 0..max. */
function parsePrefix(text: string, max: number): number | undefined {
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
}

/**
 * The canonical text of an address or block (DESIGN.md §5): dotted quad without leading zeros,
 * RFC 5952 IPv6, a block as its network address and prefix; a full-length prefix is the plain
 * address.
 */
export function canonicalIp(ip: ParsedIp): string {
  const full = ip.family === 'ipv4' ? 32 : 128;
  if (ip.prefix === null || ip.prefix === full) return ipText(ip.address);
  return `${ipText(networkAddress(ip.address, ip.prefix))}/${ip.prefix}`;
}

function ipText(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  return address.kind() === 'ipv4' ? address.toString() : (address as ipaddr.IPv6).toRFC5952String();
}

function networkAddress(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = address.toByteArray().map((byte, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
  return ipaddr.fromByteArray(bytes);
}

/** Why this address or block may not be an indicator, or null when it is public (or internal is allowed). */
export function ipProblem(ip: ParsedIp, opts: NormalizeOptions): string | null {
  if (opts.allowInternal) return null;
  const full = ip.family === 'ipv4' ? 32 : 128;
  const reason = nonPublicReason(ip.address, ip.prefix ?? full);
  if (reason === null) return null;
  return ip.prefix === null || ip.prefix === full ? `is not a public address (${reason})` : `overlaps non-public space (${reason})`;
}

/**
 * Normalizes an ipv4 or ipv6 indicator. `want` is the type the feed claimed; an IPv4-mapped
 * IPv6 address is accepted under either and returned as ipv4, the type it really is, so one
 * host is one IOC. A plain address of the other family is a type_mismatch.
 */
export function normalizeIp(text: string, want: IpFamily | undefined, opts: NormalizeOptions): NormalizeResult {
  const parsed = parseIp(text);
  if (parsed === null) {
    return want === 'ipv6'
      ? reject('invalid_ipv6', `${shown(text)} is not an IPv6 address`)
      : reject('invalid_ipv4', `${shown(text)} is not an IPv4 address`);
  }
  if (!parsed.ok) return reject(parsed.code, parsed.reason);
  const { ip } = parsed;
  const mapped = ip.family !== ip.writtenAs;
  if (want !== undefined && want !== ip.family && !mapped) {
    return reject('type_mismatch', `${shown(text)} is an ${ip.family === 'ipv4' ? 'IPv4' : 'IPv6'} address, not ${want}`);
  }
  const value = canonicalIp(ip);
  const problem = ipProblem(ip, opts);
  if (problem !== null) return reject('non_public_address', `${shown(value)} ${problem}`);
  return accept(ip.family, value);
}
