/**
 * CSV with the hosted product's 10 documented columns:
 * id,type,value,confidence,first_seen,last_seen,source_article,source_feed,category,tags
 * RFC 4180 quoting; CRLF line ends; tags joined with `;`. Cells that a spreadsheet would run as
 * a formula (leading = + - @ or a control character) get a leading `'`, because feed text is
 * attacker-controlled (OWASP CSV injection).
 */
import type { IocRecord } from '../domain/ioc.js';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const CSV_COLUMNS = [
  'id',
  'type',
  'value',
  'confidence',
  'first_seen',
  'last_seen',
  'source_article',
  'source_feed',
  'category',
  'tags',
] as const;
export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralized against formula injection, quoted when it holds `,` `"` or a line break. */
export function csvCell(value: string | null): string {
  if (value === null || value === '') return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function renderCsvRow(r: IocRecord): string {
  const cells = [
    r.id,
    r.type,
    r.value,
    r.confidence,
    r.first_seen,
    r.last_seen,
    r.source.article_title ?? r.source.article_url,
    r.source.feed_name,
    r.source.category,
    r.tags.join(';'),
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Header and rows. */
export function renderCsv(records: Iterable<IocRecord>): string {
  let out = CSV_HEADER;
  for (const r of records) out += renderCsvRow(r);
  return out;
}
