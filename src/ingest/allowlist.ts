import { IOC_TYPES, type IocType } from '../domain/vocabulary.js';
import type { AllowlistCheck } from '../store/store.js';
import { IpRangeSet } from './ip-ranges.js';
import { loadWarninglist, type Warninglist } from './warninglist-file.js';

/** Which of our IOC types each MISP attribute type stands for (the rest match nothing of ours). */
const TYPES_BY_MISP_ATTRIBUTE: Readonly<Record<string, readonly IocType[]>> = {
  'ip-src': ['ipv4', 'ipv6'],
  'ip-dst': ['ipv4', 'ipv6'],
  'ip-src|port': ['ipv4', 'ipv6'],
  'ip-dst|port': ['ipv4', 'ipv6'],
  'domain|ip': ['domain', 'ipv4', 'ipv6'],
  domain: ['domain'],
  hostname: ['domain'],
  'hostname|port': ['domain'],
  url: ['url'],
  uri: ['url'],
  link: ['url'],
  md5: ['md5'],
  sha1: ['sha1'],
  sha256: ['sha256'],
  sha512: ['sha512'],
  'filename|md5': ['md5'],
  'filename|sha1': ['sha1'],
  'filename|sha256': ['sha256'],
  'filename|sha512': ['sha512'],
  email: ['email'],
  'email-src': ['email'],
  'email-dst': ['email'],
  vulnerability: ['cve'],
};

const ALL_TYPES: readonly IocType[] = IOC_TYPES;

/** The matchers of one IOC type, filled from every list that applies to it. */
interface TypeMatchers {
  ips: IpRangeSet;
  /** Exact values (hashes, domains, URLs...), lower-case. */
  exact: Set<string>;
  /** Domains matched with all their subdomains (hostname lists). */
  hostnames: Set<string>;
  /** `.example.com` entries of string lists: subdomains of example.com, not example.com itself. */
  subdomainsOf: Set<string>;
  substrings: string[];
}

/** A built allowlist: the check the store calls for every write, and what it was built from. */
export interface Allowlist {
  check: AllowlistCheck;
  /** Names of the lists in it. */
  lists: string[];
  /** Entries in all lists. */
  entries: number;
  /** Entries a list's type could not use (e.g. a malformed CIDR), as `list: entry`. */
  unusable: string[];
}

/**
 * Builds one matcher from MISP warninglists:
 * - `cidr` lists match an ipv4/ipv6 IOC inside a listed block, a CIDR IOC only when the whole
 *   block is inside one (sorted merged ranges, binary search);
 * - `hostname` lists match the domain and every subdomain of an entry, and a URL by its host;
 * - `string` lists match exact values (hashes, domains, a URL's host for domain lists); an entry
 *   written `.example.com` matches the subdomains of example.com;
 * - `substring` lists match values containing an entry.
 * A list applies to the IOC types its matching_attributes name (all types when it names none).
 *
 * @example
 * const allow = buildAllowlist([publicDnsV4]); allow.check('ipv4', '8.8.8.8') // true
 */
export function buildAllowlist(lists: readonly Warninglist[]): Allowlist {
  const byType = new Map<IocType, TypeMatchers>();
  const matchersOf = (type: IocType): TypeMatchers => {
    let m = byType.get(type);
    if (!m) {
      m = { ips: new IpRangeSet(), exact: new Set(), hostnames: new Set(), subdomainsOf: new Set(), substrings: [] };
      byType.set(type, m);
    }
    return m;
  };
  const unusable: string[] = [];
  let entries = 0;

  for (const wl of lists) {
    const types = typesOf(wl);
    for (const raw of wl.list) {
      const entry = raw.trim().toLowerCase();
      if (entry === '') continue;
      entries++;
      if (wl.type === 'cidr') {
        let used = false;
        for (const t of types) if (t === 'ipv4' || t === 'ipv6') used = matchersOf(t).ips.add(entry) || used;
        if (!used) unusable.push(`${wl.name}: ${raw}`);
        continue;
      }
      for (const t of types) {
        const m = matchersOf(t);
        if (wl.type === 'substring') m.substrings.push(entry);
        else if (wl.type === 'hostname') m.hostnames.add(entry.replace(/^\.+|\.+$/g, ''));
        else if (entry.startsWith('.')) m.subdomainsOf.add(entry.replace(/^\.+|\.+$/g, ''));
        else m.exact.add(entry);
      }
    }
  }

  const check: AllowlistCheck = (type, value) => {
    const m = byType.get(type);
    if (!m) return false;
    const v = value.trim().toLowerCase();
    if (type === 'ipv4' || type === 'ipv6') return m.ips.contains(v) || m.exact.has(v);
    if (m.exact.has(v)) return true;
    if (m.substrings.some((s) => v.includes(s))) return true;
    if (type === 'domain') return domainListed(m, v);
    if (type === 'url') {
      const host = hostOf(v);
      return host !== null && (m.exact.has(host) || domainListed(m, host));
    }
    return false;
  };
  return { check, lists: lists.map((l) => l.name), entries, unusable };
}

/** Loads warninglist files and builds the allowlist; files that cannot be used are reported, not fatal. */
export async function loadAllowlist(paths: readonly string[]): Promise<{ allowlist: Allowlist; errors: string[] }> {
  const lists: Warninglist[] = [];
  const errors: string[] = [];
  for (const path of paths) {
    const result = await loadWarninglist(path);
    if (result.ok) lists.push(result.warninglist);
    else errors.push(`${result.code}: ${result.message}`);
  }
  return { allowlist: buildAllowlist(lists), errors };
}

function typesOf(wl: Warninglist): readonly IocType[] {
  if (wl.matching_attributes.length === 0) {
    if (wl.type === 'cidr') return ['ipv4', 'ipv6'];
    if (wl.type === 'hostname') return ['domain', 'url'];
    return ALL_TYPES;
  }
  const types = new Set<IocType>();
  for (const attr of wl.matching_attributes) for (const t of TYPES_BY_MISP_ATTRIBUTE[attr.toLowerCase()] ?? []) types.add(t);
  // A hostname list names the hosts URLs point at, whether or not it lists `url`.
  if (wl.type === 'hostname' && types.has('domain')) types.add('url');
  return [...types];
}

function domainListed(m: TypeMatchers, domain: string): boolean {
  if (m.hostnames.has(domain)) return true;
  for (let dot = domain.indexOf('.'); dot !== -1; dot = domain.indexOf('.', dot + 1)) {
    const parent = domain.slice(dot + 1);
    if (m.hostnames.has(parent) || m.subdomainsOf.has(parent)) return true;
  }
  return false;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '') || null;
  } catch {
    return null;
  }
}
