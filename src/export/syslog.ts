import type { IocRecord } from '../domain/ioc.js';
import type { Confidence } from '../domain/vocabulary.js';
import { renderCefLine, type CefOptions } from './cef.js';
import { toMicroTimestamp } from './stix-time.js';

/**
 * RFC 5424 syslog messages, one per IOC:
 * `<PRI>1 TIMESTAMP HOSTNAME socd - MSGID [ioc@32473 id="…" type="…" value="…" …] MSG`.
 *
 * - PRI: the facility (default 16, local0) and a severity from confidence: high 4 (warning),
 *   medium 5 (notice), low 6 (informational).
 * - TIMESTAMP: the IOC version's time, RFC 3339 UTC with microseconds (TIME-SECFRAC allows six
 *   digits). MSGID: the IOC type.
 * - STRUCTURED-DATA: one SD-ELEMENT. An SD-ID without `@` must be registered with IANA, so ours is
 *   `ioc@<enterprise number>`; the default 32473 is the example number RFC 5612 reserves for
 *   documentation, and an operator with a Private Enterprise Number of their own can set it.
 *   PARAM-VALUEs escape `"`, `\` and `]` with a backslash (RFC 5424 §6.3.3). Lists repeat their
 *   parameter (`tag="a" tag="b"`), which the RFC allows, so a comma inside a tag stays data.
 *   Control characters, which §8.2 says senders SHOULD avoid and receivers may rewrite, would
 *   break the one-message-per-line framing, so in SD-PARAMs each one becomes a space; the
 *   free text that can hold line breaks (context) is not an SD-PARAM at all.
 * - MSG: the IOC's CEF line (cef.ts), so ArcSight and QRadar, which look for CEF in a syslog
 *   message, read it as they would from any CEF source; CEF escapes line breaks as `\n`, so the
 *   message carries every value, context included, exactly. When it holds non-ASCII text it
 *   starts with a BOM, as RFC 5424 §6.4 requires of UTF-8 messages.
 */

export interface SyslogOptions extends CefOptions {
  /** HOSTNAME field: this server's name (PRINTUSASCII, at most 255); '-' when unknown. */
  hostname?: string;
  /** APP-NAME field (default `socd`). */
  appName?: string;
  /** Syslog facility 0-23 (default 16, local0). */
  facility?: number;
  /** Private Enterprise Number of the SD-ID `ioc@<n>` (default 32473, RFC 5612's example). */
  enterpriseId?: number;
}

export const SYSLOG_CONTENT_TYPE = 'text/plain; charset=utf-8';
export const DEFAULT_SYSLOG_FACILITY = 16;
export const DEFAULT_ENTERPRISE_ID = 32473;

export const SYSLOG_SEVERITY: Readonly<Record<Confidence, number>> = { high: 4, medium: 5, low: 6 };

/** A header field (HOSTNAME, APP-NAME…): printable US-ASCII without spaces, at most `max`, or `-`. */
export function syslogHeaderField(value: string | undefined, max: number): string {
  if (value === undefined) return '-';
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

/** A PARAM-VALUE: control characters made spaces, then `"`, `\` and `]` escaped. */
// eslint-disable-next-line no-control-regex
const SD_SPECIAL = /["\\\]\u0000-\u001f\u007f]/;

export function sdParamValue(value: string): string {
  // Most values need no escaping; testing first spares two replaces per parameter.
  if (!SD_SPECIAL.test(value)) return value;
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** The SD-PARAMs of one IOC, in order (names are SD-NAMEs: at most 32 printable characters). */
export function syslogParams(record: IocRecord): Array<[string, string]> {
  const params: Array<[string, string]> = [
    ['id', record.id],
    ['type', record.type],
    ['value', record.value],
    ['confidence', record.confidence],
    ['tlp', record.tlp],
    ['status', record.status],
    ['source', record.source.feed_name],
    ['first_seen', record.first_seen],
    ['last_seen', record.last_seen],
  ];
  if (record.threat_type) params.push(['threat_type', record.threat_type]);
  if (record.malware) params.push(['malware', record.malware]);
  for (const t of record.mitre_techniques) params.push(['technique', t]);
  for (const t of record.tags) params.push(['tag', t]);
  for (const s of record.industries) params.push(['industry', s]);
  if (record.source.reference_url) params.push(['reference_url', record.source.reference_url]);
  return params;
}

const NON_ASCII = /[^\x00-\x7f]/;
const BOM = '\ufeff';

/**
 * The RFC 5424 message of one IOC, without a line end.
 *
 * @example renderSyslogLine(record, { hostname: 'socd-1' }) // '<132>1 2026-08-18T16:17:08.123456Z socd-1 socd - ipv4 [ioc@32473 …] CEF:0|…'
 */
export function renderSyslogLine(record: IocRecord, opts: SyslogOptions = {}): string {
  const facility = opts.facility ?? DEFAULT_SYSLOG_FACILITY;
  const pri = facility * 8 + SYSLOG_SEVERITY[record.confidence];
  const timestamp = toMicroTimestamp(record.updated_at) ?? '-';
  const hostname = syslogHeaderField(opts.hostname, 255);
  const appName = syslogHeaderField(opts.appName ?? 'socd', 48);
  const msgId = syslogHeaderField(record.type, 32);
  const sdId = `ioc@${opts.enterpriseId ?? DEFAULT_ENTERPRISE_ID}`;
  const sd = syslogParams(record)
    .map(([name, value]) => ` ${name}="${sdParamValue(value)}"`)
    .join('');
  const cef = renderCefLine(record, opts);
  const msg = NON_ASCII.test(cef) ? BOM + cef : cef;
  return `<${pri}>1 ${timestamp} ${hostname} ${appName} - ${msgId} [${sdId}${sd}] ${msg}`;
}

/** Messages for many IOCs, each ending in LF. */
export function renderSyslog(records: Iterable<IocRecord>, opts: SyslogOptions = {}): string {
  let out = '';
  for (const r of records) out += `${renderSyslogLine(r, opts)}\n`;
  return out;
}
