import type { IocRecord } from '../domain/ioc.js';
import { renderStixJson, STIX_SHARED_OBJECTS } from './stix.js';

/**
 * STIX 2.1 bundles, written as text pieces so a route can stream any number of IOCs. The
 * bundle has no `spec_version` (STIX 2.1 §8 removed it from bundles) and starts with the
 * producer identity and the TLP marking definitions its objects reference.
 */

/** The opening of a bundle, through the shared objects. `id` is `bundle--<UUIDv4>` (random per response). */
export function stixBundleHead(id: string): string {
  const shared = STIX_SHARED_OBJECTS.map((o) => JSON.stringify(o)).join(',');
  return `{"type":"bundle","id":${JSON.stringify(id)},"objects":[${shared}`;
}

/** One IOC inside a bundle (always after the head, so it starts with a comma). */
export function stixBundleItem(record: IocRecord): string {
  return `,${renderStixJson(record)}`;
}

export const STIX_BUNDLE_TAIL = ']}';

/**
 * A whole bundle as text pieces.
 *
 * @example [...renderStixBundle(records, { id: `bundle--${randomUUID()}` })].join('')
 */
export function* renderStixBundle(records: Iterable<IocRecord>, opts: { id: string }): Generator<string> {
  yield stixBundleHead(opts.id);
  for (const r of records) yield stixBundleItem(r);
  yield STIX_BUNDLE_TAIL;
}
