import { HASH_TYPES, IOC_TYPES, type IocType } from './vocabulary.js';

/**
 * The TAXII 2.1 collections SOC Defenders serves: the one place for their ids, aliases, titles
 * and contents (DESIGN.md §7). Ids are fixed UUIDv4s (TAXII 2.1 §5.2.1 requires v4) and never
 * change: Sentinel, OpenCTI and Splunk store them in their connector configuration.
 */
export interface TaxiiCollection {
  /** Fixed UUIDv4; the id in every collection URL. */
  id: string;
  /** The documented alias; it also works in place of the id in collection URLs. */
  alias: string;
  title: string;
  description: string;
  /** IOC types whose STIX objects the collection holds. */
  iocTypes: readonly IocType[];
  /**
   * Other names the hosted product's documentation uses for the same collection (its pages
   * disagree: `soc-defenders-all`, `all`, `ips`, `hashes`), accepted like the alias.
   */
  formerAliases: readonly string[];
}

/** In the stable order `GET collections/` lists them (TAXII 2.1 §3.3). */
export const TAXII_COLLECTIONS: readonly TaxiiCollection[] = [
  {
    id: '38db17c7-a88e-4b92-8d6d-dc08b4cc9e33',
    alias: 'all-iocs',
    title: 'All IOCs',
    description:
      'Every IOC as STIX 2.1: an indicator per IP, CIDR, domain, URL, hash and email address, a vulnerability per CVE, ' +
      'an attack-pattern per ATT&CK technique. Expired, revoked and allowlisted IOCs appear as a new version with revoked: true.',
    iocTypes: IOC_TYPES,
    formerAliases: ['soc-defenders-all', 'all'],
  },
  {
    id: '64e7ee35-863b-41ee-b316-abcef5773bdd',
    alias: 'ip-addresses',
    title: 'IPs only',
    description: 'Indicators for IPv4 and IPv6 addresses and CIDR blocks.',
    iocTypes: ['ipv4', 'ipv6'],
    formerAliases: ['ips'],
  },
  {
    id: 'f4b5b6ea-f23d-4630-9eba-6d0e85ec4c39',
    alias: 'file-hashes',
    title: 'Hashes only',
    description: 'Indicators for MD5, SHA-1, SHA-256 and SHA-512 file hashes.',
    iocTypes: HASH_TYPES,
    formerAliases: ['soc-defenders-hashes', 'hashes'],
  },
  {
    id: '527154e7-01ac-4340-b85c-8cd6ebac4f3e',
    alias: 'cves',
    title: 'CVEs',
    description: 'A vulnerability object per CVE, with its cve external reference.',
    iocTypes: ['cve'],
    formerAliases: [],
  },
];

const byKey = new Map<string, TaxiiCollection>();
for (const c of TAXII_COLLECTIONS) {
  for (const key of [c.id, c.alias, ...c.formerAliases]) byKey.set(key.toLowerCase(), c);
}

/**
 * The collection a URL segment names: its id, its alias or a former alias (case-insensitive).
 *
 * @example findTaxiiCollection('all-iocs')?.title // 'All IOCs'
 */
export function findTaxiiCollection(idOrAlias: string): TaxiiCollection | undefined {
  return byKey.get(idOrAlias.toLowerCase());
}
