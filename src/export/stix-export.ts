import type { IocRecord } from '../domain/ioc.js';
import type { Tlp } from '../domain/vocabulary.js';
import { renderStixJson } from './stix.js';
import { STIX_PRODUCER_IDENTITY } from './stix-identity.js';
import { STIX_MARKING_DEFINITIONS } from './stix-markings.js';
import { stricterTlp } from './tlp-rank.js';

/**
 * A STIX 2.1 bundle for download (`GET /api/v1/iocs/stix`), around the objects export/stix.ts
 * renders for TAXII too: optionally the producer identity and the TLP marking definitions
 * first, then one object per IOC. Written as text pieces so any number of IOCs can stream.
 * `minimumTlp` raises an IOC's marking, never lowers it: a feed's TLP:RED stays red whatever
 * the caller asks, so an export can not be used to strip a sharing restriction.
 */

export const STIX_EXPORT_FORMATS = ['bundle', 'objects'] as const;
export type StixExportFormat = (typeof STIX_EXPORT_FORMATS)[number];

export interface StixExportOptions {
  format: StixExportFormat;
  includeIdentity: boolean;
  includeMarkings: boolean;
  /** Every object is marked at least this restrictively. */
  minimumTlp?: Tlp;
  /** `bundle--<UUIDv4>`: a bundle is a one-off envelope, random per response (STIX 2.1 §8). */
  bundleId: string;
}

/**
 * Writes a bundle (or the bare object array) as text pieces. STIX forbids empty lists, so a
 * bundle with nothing in it has no `objects` property at all.
 */
export class StixExportWriter {
  private written = 0;

  constructor(private readonly opts: StixExportOptions) {}

  private open(): string {
    return this.opts.format === 'bundle' ? `{"type":"bundle","id":${JSON.stringify(this.opts.bundleId)},"objects":[` : '[';
  }

  private object(json: string): string {
    return this.written++ === 0 ? this.open() + json : `,${json}`;
  }

  head(): string {
    let out = '';
    if (this.opts.includeIdentity) out += this.object(JSON.stringify(STIX_PRODUCER_IDENTITY));
    if (this.opts.includeMarkings) for (const m of STIX_MARKING_DEFINITIONS) out += this.object(JSON.stringify(m));
    return out;
  }

  item(record: IocRecord): string {
    const tlp = this.opts.minimumTlp === undefined ? record.tlp : stricterTlp(record.tlp, this.opts.minimumTlp);
    return this.object(renderStixJson(tlp === record.tlp ? record : { ...record, tlp }));
  }

  tail(): string {
    if (this.written > 0) return this.opts.format === 'bundle' ? ']}' : ']';
    return this.opts.format === 'bundle' ? `{"type":"bundle","id":${JSON.stringify(this.opts.bundleId)}}` : '[]';
  }
}

/** A whole bundle at once (tests, small exports). */
export function renderStixExport(records: Iterable<IocRecord>, opts: StixExportOptions): string {
  const writer = new StixExportWriter(opts);
  let out = writer.head();
  for (const r of records) out += writer.item(r);
  return out + writer.tail();
}
