import type { IocType } from '../domain/vocabulary.js';

/**
 * STIX patterns for IOC types that are observables: always a single comparison, because
 * Sentinel's TI table and several other consumers do not read compound patterns
 * (../shared/research/taxii-stix.md §3). CVEs and ATT&CK techniques are not observables and
 * have no pattern.
 */
const OBJECT_PATHS: Partial<Record<IocType, string>> = {
  ipv4: 'ipv4-addr:value',
  ipv6: 'ipv6-addr:value',
  domain: 'domain-name:value',
  url: 'url:value',
  email: 'email-addr:value',
  md5: 'file:hashes.MD5',
  sha1: "file:hashes.'SHA-1'",
  sha256: "file:hashes.'SHA-256'",
  sha512: "file:hashes.'SHA-512'",
};

/** A string literal of the STIX patterning grammar: only `\` and `'` are escaped (§9.3). */
export function stixStringLiteral(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/**
 * The pattern of an indicator for a canonical IOC value, or `null` for a type without one.
 *
 * @example stixPattern('sha256', 'ab…') // "[file:hashes.'SHA-256' = 'ab…']"
 */
export function stixPattern(type: IocType, value: string): string | null {
  const path = OBJECT_PATHS[type];
  return path === undefined ? null : `[${path} = ${stixStringLiteral(value)}]`;
}
