import type { IocRecord } from '../domain/ioc.js';
import { STIX_CONFIDENCE, type Confidence, type IocType } from '../domain/vocabulary.js';
import { isInboundThreat } from './misp-types.js';

/**
 * ArcSight Common Event Format (Implementing ArcSight CEF, rev. 25): one line per IOC,
 * `CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|key=value ...`.
 *
 * Escaping follows the specification exactly: in header fields `\` and `|` are escaped with a
 * backslash (line breaks cannot appear in a header and are replaced by a space; our header
 * fields are fixed words anyway); in extension values `\` and `=` are escaped, CR and LF become
 * `\r` and `\n`, and `|` is left alone. Extension values are trimmed: a CEF parser cannot tell a
 * value's trailing space from the separator before the next key.
 *
 * Header: the hosted product's formats page (`SOC Defenders|Threat Intelligence|1.0`, the IOC
 * type as signature id, `Malicious IPv4 Indicator`, severity low 3, medium 6, high 9).
 * Extension keys are ArcSight dictionary keys, typed fields only where the value fits the type:
 * - the IOC: `dst` for an IP the victim connects to, `src` for an attacking one (see
 *   misp-types.ts), `dhost` domain, `request` URL, `fileHash` hash, `suser` e-mail sender; a CIDR
 *   block, a CVE or an ATT&CK technique has no typed field and goes in `cs6` labelled with its type;
 * - `cs1` confidence, `cs2` source feed, `cs3` TLP, `cs4` ATT&CK techniques, `cs5` tags (comma
 *   separated), `cn1` the STIX confidence number, `cat` threat type, `flexString1` status,
 *   `flexString2` malware, `msg` context, `externalId` IOC id, `rt` version time, `start`/`end`
 *   first and last seen (milliseconds since the epoch).
 */

export const CEF_CONTENT_TYPE = 'text/plain; charset=utf-8';

export interface CefOptions {
  vendor?: string;
  product?: string;
  version?: string;
}

const DEFAULTS: Required<CefOptions> = { vendor: 'SOC Defenders', product: 'Threat Intelligence', version: '1.0' };

export const CEF_SEVERITY: Readonly<Record<Confidence, number>> = { low: 3, medium: 6, high: 9 };

const NAMES: Readonly<Record<IocType, string>> = {
  ipv4: 'Malicious IPv4 Indicator',
  ipv6: 'Malicious IPv6 Indicator',
  domain: 'Malicious Domain Indicator',
  url: 'Malicious URL Indicator',
  md5: 'Malicious MD5 Hash Indicator',
  sha1: 'Malicious SHA-1 Hash Indicator',
  sha256: 'Malicious SHA-256 Hash Indicator',
  sha512: 'Malicious SHA-512 Hash Indicator',
  email: 'Malicious Email Sender Indicator',
  cve: 'Exploited Vulnerability Indicator',
  'mitre-attack': 'ATT&CK Technique Indicator',
};

/** A header field: `\` and `|` escaped, line breaks (not allowed in a header) made spaces. */
export function cefHeaderField(value: string): string {
  return value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/\r\n|[\r\n]/g, ' ');
}

const EXTENSION_SPECIAL = /[\\=\r\n]/;

/** An extension value: trimmed; `\` and `=` escaped; CR and LF as `\r` and `\n`. */
export function cefExtensionValue(value: string): string {
  const text = value.trim();
  // Most values need no escaping; testing first spares a replace per field on every line.
  if (!EXTENSION_SPECIAL.test(text)) return text;
  return text.replace(/[\\=\r\n]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\${c}`));
}

function epochMillis(iso: string): string | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : String(ms);
}

/** The extension field the IOC value itself goes in. */
function valueField(record: IocRecord): { key: string; label?: string } {
  switch (record.type) {
    case 'ipv4':
    case 'ipv6':
      if (record.value.includes('/')) return { key: 'cs6', label: 'network' };
      return { key: isInboundThreat(record.threat_type) ? 'src' : 'dst' };
    case 'domain':
      return { key: 'dhost' };
    case 'url':
      return { key: 'request' };
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return { key: 'fileHash' };
    case 'email':
      return { key: 'suser' };
    case 'cve':
      return { key: 'cs6', label: 'cve' };
    case 'mitre-attack':
      return { key: 'cs6', label: 'mitreTechnique' };
  }
}

/** The extension of one IOC as ordered key/value pairs (values unescaped). */
export function cefExtensionPairs(record: IocRecord): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const add = (key: string, value: string | null | undefined): void => {
    if (value !== null && value !== undefined && value.trim() !== '') pairs.push([key, value]);
  };
  const field = valueField(record);
  add(field.key, record.value);
  if (field.label !== undefined) add(`${field.key}Label`, field.label);
  add('externalId', record.id);
  add('rt', epochMillis(record.updated_at));
  add('start', epochMillis(record.first_seen));
  add('end', epochMillis(record.last_seen));
  add('cs1', record.confidence);
  add('cs1Label', 'confidence');
  add('cn1', String(STIX_CONFIDENCE[record.confidence]));
  add('cn1Label', 'confidenceScore');
  add('cs2', record.source.feed_name);
  add('cs2Label', 'source');
  add('cs3', record.tlp);
  add('cs3Label', 'tlp');
  if (record.mitre_techniques.length > 0) {
    add('cs4', record.mitre_techniques.join(','));
    add('cs4Label', 'mitreTechniques');
  }
  if (record.tags.length > 0) {
    add('cs5', record.tags.join(','));
    add('cs5Label', 'tags');
  }
  add('cat', record.threat_type);
  add('flexString1', record.status);
  add('flexString1Label', 'status');
  if (record.malware) {
    add('flexString2', record.malware);
    add('flexString2Label', 'malware');
  }
  add('msg', record.context);
  return pairs;
}

/**
 * The CEF line of one IOC, without a line end.
 *
 * @example renderCefLine(record) // 'CEF:0|SOC Defenders|Threat Intelligence|1.0|ipv4|Malicious IPv4 Indicator|9|dst=198.51.100.7 …'
 */
function cefHeader(record: IocRecord, opts: CefOptions): string {
  const o = { ...DEFAULTS, ...opts };
  return [
    'CEF:0',
    cefHeaderField(o.vendor),
    cefHeaderField(o.product),
    cefHeaderField(o.version),
    cefHeaderField(record.type),
    cefHeaderField(NAMES[record.type]),
    String(CEF_SEVERITY[record.confidence]),
  ].join('|');
}

/** Headers with the default vendor, product and version depend on type and confidence only. */
const DEFAULT_HEADERS = new Map<string, string>();

export function renderCefLine(record: IocRecord, opts: CefOptions = {}): string {
  let header: string;
  if (opts.vendor === undefined && opts.product === undefined && opts.version === undefined) {
    const key = `${record.type}|${record.confidence}`;
    header = DEFAULT_HEADERS.get(key) ?? cefHeader(record, opts);
    DEFAULT_HEADERS.set(key, header);
  } else {
    header = cefHeader(record, opts);
  }
  const extension = cefExtensionPairs(record)
    .map(([k, v]) => `${k}=${cefExtensionValue(v)}`)
    .join(' ');
  return `${header}|${extension}`;
}

/** Lines for many IOCs, each ending in LF. */
export function renderCef(records: Iterable<IocRecord>, opts: CefOptions = {}): string {
  let out = '';
  for (const r of records) out += `${renderCefLine(r, opts)}\n`;
  return out;
}
