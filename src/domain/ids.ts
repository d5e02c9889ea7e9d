import { v5 as uuidv5 } from 'uuid';
import type { IocType } from './vocabulary.js';

/**
 * Namespace for every stable id SOC Defenders derives (IOC ids, STIX ids, Sigma rule ids).
 * Fixed forever: changing it would make every SIEM duplicate every rule and indicator.
 */
export const SOCD_NAMESPACE = '5f1c4a39-8d3e-4f6b-9a0e-2b7c6d1e8f40';

/** The stable id of an IOC: UUIDv5 of `type:value`, the same in every database and export. */
export function iocId(type: IocType, value: string): string {
  return uuidv5(`${type}:${value}`, SOCD_NAMESPACE);
}
