/**
 * NDJSON: one IOC document per line, `\n`-terminated. What Splunk HEC `/services/collector/raw`
 * splits into one event per IOC (its default line breaking). Documents are pre-rendered JSON,
 * which never holds a raw newline (JSON.stringify escapes them).
 */
import type { IocRecord } from '../domain/ioc.js';

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';

/** Lines for pre-rendered documents. */
export function ndjsonFromDocs(docs: readonly string[]): string {
  if (docs.length === 0) return '';
  return `${docs.join('\n')}\n`;
}

export function renderNdjsonLine(record: IocRecord): string {
  return `${JSON.stringify(record)}\n`;
}
