import { createHash } from 'node:crypto';
import { parse as parseUuid } from 'uuid';
import type { IocType } from './vocabulary.js';

/**
 * Namespace for every stable id SOC Defenders derives (IOC ids, STIX ids, Sigma rule ids).
 * Fixed forever: changing it would make every SIEM duplicate every rule and indicator.
 */
export const SOCD_NAMESPACE = '5f1c4a39-8d3e-4f6b-9a0e-2b7c6d1e8f40';

const NAMESPACE_BYTES = Buffer.from(parseUuid(SOCD_NAMESPACE));

/**
 * The stable id of an IOC: UUIDv5 of `type:value`, the same in every database and export.
 * Computed with node:crypto directly (RFC 9562 §5.5): it runs for every ingested IOC, and the
 * uuid package's pure-JS SHA-1 costs twice as much. A test pins it to `uuid`'s v5.
 */
export function iocId(type: IocType, value: string): string {
  const h = createHash('sha1').update(NAMESPACE_BYTES).update(`${type}:${value}`, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.toString('hex', 0, 16);
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
