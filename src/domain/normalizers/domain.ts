import { domainToASCII } from 'node:url';
import { parse as parseHostname } from 'tldts';
import { accept, reject, shown, type NormalizeOptions, type NormalizeRejection, type NormalizeResult } from '../normalize-result.js';
import { parseIp } from './ip.js';

export type HostnameOutcome = { ok: true; value: string } | NormalizeRejection;

const MAX_HOSTNAME = 253;
/**
 * Letters, digits, hyphen, and underscore: underscores are not LDH, but real DNS names carry
 * them (`_dmarc`, SRV records, wildcard subdomains malware generates) and rejecting them would
 * drop real indicators. The top-level label is stricter (see TLD).
 */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Canonical form of a host name already in ASCII or Unicode: lower-case, IDN as punycode
 * (WHATWG/UTS 46 mapping, as browsers resolve it), no trailing dot, valid labels, and (unless
 * internal names are allowed) a registrable name under an ICANN public suffix.
 */
export function canonicalHostname(name: string, opts: NormalizeOptions): HostnameOutcome {
  if (name === '' || /\s/.test(name)) return reject('invalid_domain', `${shown(name)} is not a valid domain name`);
  const withoutDot = name.endsWith('.') && !name.endsWith('..') ? name.slice(0, -1) : name;
  const ascii = domainToASCII(withoutDot.toLowerCase());
  if (ascii === '') return reject('invalid_domain', `${shown(name)} is not a valid (internationalized) domain name`);
  if (ascii.length > MAX_HOSTNAME) return reject('invalid_domain', `${shown(name)} is longer than ${MAX_HOSTNAME} characters`);
  const labels = ascii.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2) return reject('invalid_domain', `${shown(ascii)} is a single label, not a domain name`);
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) return reject('invalid_domain', `${shown(ascii)} has an invalid label ${shown(bad)}`);
  if (!TLD.test(tld)) return reject('invalid_domain', `${shown(ascii)} has an invalid top-level label ${shown(tld)}`);
  if (!opts.allowInternal) {
    const parsed = parseHostname(ascii, { allowPrivateDomains: false, extractHostname: false });
    if (parsed.isIcann !== true) return reject('no_public_suffix', `${shown(ascii)} is not under a known public suffix`);
    if (parsed.domain === null) return reject('no_public_suffix', `${shown(ascii)} is itself a public suffix, not a registrable domain`);
  }
  return { ok: true, value: ascii };
}

/** Normalizes a `domain` indicator; IP literals and URLs are a type_mismatch, not a domain. */
export function normalizeDomain(text: string, opts: NormalizeOptions): NormalizeResult {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return reject('type_mismatch', `${shown(text)} is a URL, not a domain`);
  const ip = parseIp(text);
  if (ip !== null && ip.ok) return reject('type_mismatch', `${shown(text)} is an IP address, not a domain`);
  // `%` would be percent-decoded by the WHATWG host parser: legal in a URL, never in a bare name.
  if (/[/?#@:%\\]/.test(text)) return reject('invalid_domain', `${shown(text)} is not a valid domain name`);
  const host = canonicalHostname(text, opts);
  return host.ok ? accept('domain', host.value) : host;
}

/**
 * True when text is shaped like a host name: at least two dot-separated labels and a
 * non-numeric last label. Cheap; used only to guess a type, not to validate.
 */
export function looksLikeDomain(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  return /^[^\s/?#@:%\\.]+(?:\.[^\s/?#@:%\\.]+)+$/u.test(name) && !/^\d+$/.test(name.slice(name.lastIndexOf('.') + 1));
}
