import { v5 as uuidv5 } from 'uuid';
import { SOCD_NAMESPACE } from '../domain/ids.js';
import type { IocRecord } from '../domain/ioc.js';
import { openIocTermOf } from './openioc-terms.js';
import { xmlText } from './xml-text.js';

/**
 * OpenIOC 1.0 documents (namespace http://schemas.mandiant.com/2010/ioc, the schema Mandiant's
 * IOC Editor, Redline and HX import): one `<Indicator operator="OR">` holding one IndicatorItem
 * per IOC, `condition="is"`, with the Context and Content type of its type (openioc-terms.ts).
 * The hosted product describes `<metadata>`/`<criteria>`, which are OpenIOC 1.1 elements under
 * a 1.0 name; this is the 1.0 schema throughout (`<definition>`).
 *
 * An OpenIOC document is a detection: an IOC it cannot express (a CIDR block) or that is no
 * longer active is left out, and the closing comment says how many were. Every text and
 * attribute value goes through `xmlText`.
 */

export const OPENIOC_CONTENT_TYPE = 'application/xml; charset=utf-8';
export const OPENIOC_NAMESPACE = 'http://schemas.mandiant.com/2010/ioc';

export interface OpenIocMeta {
  /** `openIocDocumentId(queryKey)`. */
  id: string;
  shortDescription: string;
  description: string;
  generatedAt: Date;
}

/** The document id of an export: UUIDv5 of the canonical query, so the same query names the same IOC document. */
export function openIocDocumentId(queryKey: string): string {
  return uuidv5(`openioc:${queryKey}`, SOCD_NAMESPACE);
}

/** xs:dateTime without fraction or zone, as the IOC Editor writes it (the time is UTC). */
function iocDateTime(at: Date): string {
  return at.toISOString().slice(0, 19);
}

/** The IndicatorItem comment: what the feeds said, how sure we are, who reported it. */
function commentOf(record: IocRecord): string {
  const parts: string[] = [];
  const context = record.context?.trim();
  if (context) parts.push(context);
  parts.push(`Confidence: ${record.confidence}`);
  if (record.threat_type) parts.push(`Threat: ${record.threat_type}`);
  if (record.malware) parts.push(`Malware: ${record.malware}`);
  const feeds = record.sources.length > 0 ? record.sources.map((s) => s.feed_name) : [record.source.feed_name];
  parts.push(`Sources: ${[...new Set(feeds)].join(', ')}`);
  if (record.tags.length > 0) parts.push(`Tags: ${record.tags.join(', ')}`);
  return parts.join(' | ');
}

/** The IndicatorItem of one IOC, or null when the document cannot hold it. */
export function openIocItem(record: IocRecord): string | null {
  const term = openIocTermOf(record);
  if (term === null || record.status !== 'active') return null;
  return (
    `      <IndicatorItem id="${xmlText(record.id)}" condition="is">\n` +
    `        <Context document="${term.document}" search="${term.search}" type="mir" />\n` +
    `        <Content type="${term.contentType}">${xmlText(record.value)}</Content>\n` +
    `        <Comment>${xmlText(commentOf(record))}</Comment>\n` +
    '      </IndicatorItem>\n'
  );
}

/**
 * Writes one document as text pieces: `head()`, `item(record)` per IOC, `tail()`.
 *
 * @example
 * const w = new OpenIocWriter({ id, shortDescription: 'SOC Defenders IOCs', description: '…', generatedAt: new Date() });
 * const xml = w.head() + records.map((r) => w.item(r)).join('') + w.tail();
 */
export class OpenIocWriter {
  private skipped = 0;

  constructor(private readonly meta: OpenIocMeta) {}

  head(): string {
    const at = iocDateTime(this.meta.generatedAt);
    const id = xmlText(this.meta.id);
    return (
      '<?xml version="1.0" encoding="utf-8"?>\n' +
      `<ioc xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" id="${id}" last-modified="${at}" xmlns="${OPENIOC_NAMESPACE}">\n` +
      `  <short_description>${xmlText(this.meta.shortDescription)}</short_description>\n` +
      `  <description>${xmlText(this.meta.description)}</description>\n` +
      '  <authored_by>SOC Defenders</authored_by>\n' +
      `  <authored_date>${at}</authored_date>\n` +
      '  <links />\n' +
      '  <definition>\n' +
      `    <Indicator operator="OR" id="${xmlText(uuidv5(`openioc-definition:${this.meta.id}`, SOCD_NAMESPACE))}">\n`
    );
  }

  /** The IndicatorItem of `record`, or '' (counted) when it is left out. */
  item(record: IocRecord): string {
    const text = openIocItem(record);
    if (text === null) this.skipped++;
    return text ?? '';
  }

  tail(): string {
    const note =
      this.skipped === 0
        ? ''
        : `  <!-- ${this.skipped} IOC${this.skipped === 1 ? '' : 's'} left out: no OpenIOC 1.0 term (CIDR blocks) or no longer active -->\n`;
    return `    </Indicator>\n  </definition>\n${note}</ioc>\n`;
  }
}

/** A whole document at once (tests, small exports). */
export function renderOpenIoc(records: Iterable<IocRecord>, meta: OpenIocMeta): string {
  const writer = new OpenIocWriter(meta);
  let out = writer.head();
  for (const r of records) out += writer.item(r);
  return out + writer.tail();
}
