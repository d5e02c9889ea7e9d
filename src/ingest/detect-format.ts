import type { FeedFormat } from './types.js';

/**
 * Sniffing rules, first match wins: document shapes anchored at the start first, then the
 * abuse.ch and Spamhaus banners (anchored to `#` comment lines, so a STIX description that
 * mentions URLhaus is still STIX), then header lines and record shapes.
 */
const CONTENT_RULES: ReadonlyArray<readonly [FeedFormat, RegExp]> = [
  ['misp', /^\s*\{\s*"Event"\s*:/],
  ['misp', /^\s*\{\s*"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"\s*:\s*\{\s*"info"/],
  ['cisa-kev', /^\s*\{[^[]*"catalogVersion"\s*:/],
  ['stix', /^\s*\{[^[]*"type"\s*:\s*"bundle"|^\s*\{\s*("more"\s*:\s*(true|false)\s*,\s*)?"objects"\s*:\s*\[\s*\{[^}]*"spec_version"/],
  ['threatfox', /^\s*\{\s*"\d+"\s*:\s*\[\s*\{\s*"ioc_value"/],
  ['feodo', /^\s*\[\s*\{[^}]*"ip_address"[^}]*"malware"/],
  ['urlhaus', /^#.*URLhaus|^#\s*id,dateadded,url,url_status/m],
  ['threatfox-csv', /^#.*ThreatFox IOCs|^#\s*"first_seen_utc","ioc_id","ioc_value"/m],
  ['malwarebazaar', /^#.*MalwareBazaar|^#\s*"first_seen_utc","sha256_hash"/m],
  ['feodo', /^#.*Feodo Tracker|^"first_seen_utc","dst_ip"/m],
  ['spamhaus-drop', /^;.*Spamhaus|^\{"cidr":"[^"]+","sblid"|^\{"asn":\d+,"rir"/m],
];

const NAME_RULES: ReadonlyArray<readonly [FeedFormat, RegExp]> = [
  ['cisa-kev', /known_exploited_vulnerabilities/i],
  ['urlhaus', /urlhaus/i],
  ['threatfox-csv', /threatfox.*\.csv$/i],
  ['threatfox', /threatfox.*\.json$/i],
  ['feodo', /feodo|ipblocklist/i],
  ['spamhaus-drop', /drop(_v[46])?\.(txt|json)$|spamhaus/i],
  ['openphish', /openphish/i],
  ['malwarebazaar', /bazaar/i],
  ['stix', /stix/i],
  ['misp', /misp|manifest\.json$/i],
];

const LIKELY_CSV_HEADER = /^[^\n,]*\bvalue\b[^\n]*,|^[^\n]*,[^\n]*\bvalue\b/i;

/**
 * Guesses a feed's format from its first few KB (`head`) and, failing that, its file name: a MISP
 * `{"Event"` or manifest, the CISA KEV `"catalogVersion"`, a STIX bundle, the ThreatFox and Feodo
 * JSON shapes, the abuse.ch banners (URLhaus, ThreatFox, MalwareBazaar, Feodo), Spamhaus DROP
 * lines; then the file name (a bare CIDR list named drop.txt, OpenPhish's URL list); then a CSV
 * with a `value` column; else a plain list. Null only for an empty head with no telling name.
 *
 * @example
 * detectFormat('{"type": "bundle", "objects": [') // 'stix'
 */
export function detectFormat(head: string, fileName?: string): FeedFormat | null {
  const text = head.replace(/^\uFEFF/, '');
  for (const [format, rule] of CONTENT_RULES) if (rule.test(text)) return format;
  if (fileName) for (const [format, rule] of NAME_RULES) if (rule.test(fileName)) return format;
  if (text.trim() === '') return null;
  if (LIKELY_CSV_HEADER.test(text.split(/\r?\n/, 1)[0] ?? '')) return 'csv';
  return 'list';
}
