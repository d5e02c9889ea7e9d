/**
 * Timestamps in the one shape STIX and TAXII both accept and that sorts as text:
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds; TAXII 2.1 §2 "timestamp", STIX 2.1 §3.2
 * allows any sub-second precision of at least milliseconds for created/modified). The store
 * writes version timestamps in exactly this shape, so they pass through untouched.
 */

const UTC_FORM = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})?$/;

function sixDigits(fraction: string | undefined): string {
  if (fraction === undefined) return '000000';
  return fraction.length >= 6 ? fraction.slice(0, 6) : fraction.padEnd(6, '0');
}

/**
 * Any RFC 3339 timestamp (an offset, a space for `T`, no fraction, up to nanoseconds; a
 * missing offset is taken as UTC) as a fixed-width microsecond UTC timestamp, or `null` when
 * it is not one. Digits past the microsecond are dropped (truncation keeps order).
 *
 * @example toMicroTimestamp('2026-11-26T09:04:43.5+02:00') // '2026-11-26T07:04:43.500000Z'
 */
export function toMicroTimestamp(text: string): string | null {
  const utc = UTC_FORM.exec(text);
  if (utc && validCalendar(text)) return `${utc[1]}.${sixDigits(utc[2])}Z`;
  const m = RFC3339.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (!validCalendar(`${y}-${mo}-${d}T${h}:${mi}:${s}`)) return null;
  let offsetMinutes = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const when = new Date(base - offsetMinutes * 60_000);
  if (Number.isNaN(when.getTime())) return null;
  return `${when.toISOString().slice(0, 19)}.${sixDigits(frac)}Z`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Rejects 2026-02-30 and 25:00 (Date.UTC would silently roll them over). */
function validCalendar(text: string): boolean {
  const y = Number(text.slice(0, 4));
  const mo = Number(text.slice(5, 7));
  const d = Number(text.slice(8, 10));
  const h = Number(text.slice(11, 13));
  const mi = Number(text.slice(14, 16));
  const s = Number(text.slice(17, 19));
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 31));
}

const MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A record timestamp (ISO 8601 from the store) as a STIX timestamp; the input unchanged when
 * it cannot be read, so a bad value shows up in validation instead of disappearing. The store's
 * own shapes (micro- and milliseconds) take a fast path: this runs for every object served.
 */
export function stixTimestamp(iso: string): string {
  if (iso.length === 27 && MICROS.test(iso)) return iso;
  if (iso.length === 24 && MILLIS.test(iso)) return `${iso.slice(0, 23)}000Z`;
  return toMicroTimestamp(iso) ?? iso;
}
