/**
 * Splunk Enterprise Security threat-intelligence lookup files: one CSV per ES `local_*_intel`
 * layout (ES "Supported threat intelligence types"; header cells separated by a bare comma, no
 * spaces). ES matches the indicator column against events, so that column holds the canonical
 * value byte for byte; only the free-text `description` is neutralized against spreadsheet
 * formulas, because feed text is attacker-controlled and these files get opened in spreadsheets.
 *
 * | file | ES lookup | columns | IOC types |
 * | ip.csv | local_ip_intel | description,ip,weight | ipv4, ipv6 (CIDR blocks too) |
 * | domain.csv | local_domain_intel | description,domain,weight | domain |
 * | http.csv | local_http_intel | description,http_referrer,http_user_agent,url,weight | url |
 * | file.csv | local_file_intel | description,file_hash,file_name,weight | md5, sha1, sha256, sha512 |
 * | email.csv | local_email_intel | description,src_user,subject,weight | email (sender address) |
 */
import type { IocRecord } from '../domain/ioc.js';
import type { Confidence, IocType } from '../domain/vocabulary.js';
import { csvCell } from './csv.js';

export const LOOKUP_CONTENT_TYPE = 'text/csv; charset=utf-8';

export const SPLUNK_LOOKUP_NAMES = ['ip', 'domain', 'http', 'file', 'email'] as const;
export type SplunkLookupName = (typeof SPLUNK_LOOKUP_NAMES)[number];

export interface SplunkLookupLayout {
  name: SplunkLookupName;
  /** The Splunk ES lookup whose columns the file has. */
  lookup: string;
  columns: readonly string[];
  /** The column the IOC value goes in. */
  valueColumn: string;
  types: readonly IocType[];
}

export const SPLUNK_LOOKUPS: Readonly<Record<SplunkLookupName, SplunkLookupLayout>> = {
  ip: { name: 'ip', lookup: 'local_ip_intel', columns: ['description', 'ip', 'weight'], valueColumn: 'ip', types: ['ipv4', 'ipv6'] },
  domain: { name: 'domain', lookup: 'local_domain_intel', columns: ['description', 'domain', 'weight'], valueColumn: 'domain', types: ['domain'] },
  http: {
    name: 'http',
    lookup: 'local_http_intel',
    columns: ['description', 'http_referrer', 'http_user_agent', 'url', 'weight'],
    valueColumn: 'url',
    types: ['url'],
  },
  file: {
    name: 'file',
    lookup: 'local_file_intel',
    columns: ['description', 'file_hash', 'file_name', 'weight'],
    valueColumn: 'file_hash',
    types: ['md5', 'sha1', 'sha256', 'sha512'],
  },
  email: { name: 'email', lookup: 'local_email_intel', columns: ['description', 'src_user', 'subject', 'weight'], valueColumn: 'src_user', types: ['email'] },
};

/** ES multiplies risk by `weight`: high-confidence intel counts three times a low one. */
export const LOOKUP_WEIGHTS: Readonly<Record<Confidence, number>> = { high: 3, medium: 2, low: 1 };

export function isSplunkLookupName(v: string): v is SplunkLookupName {
  return (SPLUNK_LOOKUP_NAMES as readonly string[]).includes(v);
}

/** `description,ip,weight\r\n` */
export function lookupHeader(layout: SplunkLookupLayout): string {
  return `${layout.columns.join(',')}\r\n`;
}

/**
 * What an analyst sees when the lookup matches: threat, malware, confidence, source and context.
 *
 * @example lookupDescription(rec) // 'botnet_cc Emotet (high confidence; Feodo Tracker): Botnet C2'
 */
export function lookupDescription(r: IocRecord): string {
  const what = [r.threat_type, r.malware].filter((s): s is string => s !== null && s !== '').join(' ') || `${r.type} indicator`;
  const context = r.context ?? r.sources.find((s) => s.context !== null)?.context ?? null;
  const head = `${what} (${r.confidence} confidence; ${r.source.feed_name})`;
  return context ? `${head}: ${context}` : head;
}

/** An exact cell: RFC 4180 quoting only, never altered (indicator values must match as stored). */
export function exactCsvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV row (CRLF-terminated) of `layout` for an IOC of one of its types. */
export function renderLookupRow(layout: SplunkLookupLayout, r: IocRecord): string {
  const cells: string[] = [];
  for (const column of layout.columns) {
    if (column === 'description') cells.push(csvCell(lookupDescription(r)));
    else if (column === 'weight') cells.push(String(LOOKUP_WEIGHTS[r.confidence]));
    else if (column === layout.valueColumn) cells.push(exactCsvCell(r.value));
    else cells.push('');
  }
  return `${cells.join(',')}\r\n`;
}
