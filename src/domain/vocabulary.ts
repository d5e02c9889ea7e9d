/**
 * The fixed vocabularies of SOC Defenders: IOC types, confidence levels, source categories,
 * statuses, TLP levels and CISA sectors. Every other module imports them from here; no list
 * is spelled out twice (DESIGN.md §5, §8).
 */

export const IOC_TYPES = [
  'ipv4',
  'ipv6',
  'domain',
  'url',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'cve',
  'email',
  'mitre-attack',
] as const;
export type IocType = (typeof IOC_TYPES)[number];

export const HASH_TYPES = ['md5', 'sha1', 'sha256', 'sha512'] as const satisfies readonly IocType[];
export type HashType = (typeof HASH_TYPES)[number];

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
/** STIX 2.1 integer confidence for each level (hosted product: high = 85). */
export const STIX_CONFIDENCE: Record<Confidence, number> = { high: 85, medium: 50, low: 15 };

export const CATEGORIES = ['government', 'commercial', 'community', 'threat-intel', 'news'] as const;
export type Category = (typeof CATEGORIES)[number];

export const ORIGINS = ['feed', 'article'] as const;
export type Origin = (typeof ORIGINS)[number];

export const STATUSES = ['active', 'expired', 'revoked', 'allowlisted'] as const;
export type IocStatus = (typeof STATUSES)[number];

export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLPS)[number];

/** CISA critical-infrastructure sectors (DESIGN.md §8). */
export const SECTORS = [
  'chemical',
  'commercial-facilities',
  'communications',
  'critical-manufacturing',
  'dams',
  'defense-industrial-base',
  'emergency-services',
  'energy',
  'financial-services',
  'food-agriculture',
  'government-facilities',
  'healthcare-public-health',
  'information-technology',
  'nuclear',
  'transportation',
  'water-wastewater',
] as const;
export type Sector = (typeof SECTORS)[number];

/** Aliases that users of the hosted product send for sectors (e.g. `healthcare`, `finance`). */
export const SECTOR_ALIASES: Readonly<Record<string, Sector>> = {
  healthcare: 'healthcare-public-health',
  health: 'healthcare-public-health',
  finance: 'financial-services',
  financial: 'financial-services',
  government: 'government-facilities',
  it: 'information-technology',
  water: 'water-wastewater',
  food: 'food-agriculture',
  defense: 'defense-industrial-base',
  manufacturing: 'critical-manufacturing',
};

/** `mitre_attack` is the hosted OpenAPI's spelling of `mitre-attack`. */
export const IOC_TYPE_ALIASES: Readonly<Record<string, IocType>> = { mitre_attack: 'mitre-attack' };

export function isIocType(v: string): v is IocType {
  return (IOC_TYPES as readonly string[]).includes(v);
}
export function isSector(v: string): v is Sector {
  return (SECTORS as readonly string[]).includes(v);
}
