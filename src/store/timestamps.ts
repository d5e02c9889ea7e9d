import { StoreError } from './errors.js';

/**
 * Timestamps as the store keeps them: TEXT in UTC with a fixed width, so they compare as strings
 * on both SQLite and PostgreSQL (schema.ts). Version timestamps (`updated_at`) carry microseconds
 * (`2026-11-26T07:04:43.123456Z`) so every version can get its own strictly increasing value;
 * sighting times (`first_seen`, `last_seen`, `expires_at`) carry milliseconds (`...43.123Z`).
 */

const MILLIS_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ISO_INPUT =
  /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** Microseconds since the epoch → `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function formatMicros(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(micros - ms * 1000).padStart(3, '0')}Z`;
}

/** The inverse of {@link formatMicros} for a stored `updated_at`. */
export function parseStoredMicros(stored: string): number {
  return Date.parse(`${stored.slice(0, 23)}Z`) * 1000 + Number(stored.slice(23, 26));
}

/** Microseconds since the epoch of `iso`, or NaN when it is not an ISO 8601 date or date-time. */
export function isoToMicros(iso: string): number {
  const m = ISO_INPUT.exec(iso.trim());
  if (!m) return Number.NaN;
  const [, date, hh = '00', mm = '00', ss = '00', fraction = '', zone = 'Z'] = m;
  const offset = zone === 'Z' || zone === 'z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${date}T${hh}:${mm}:${ss}${offset}`);
  if (Number.isNaN(ms)) return Number.NaN;
  return ms * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
}

/**
 * Any ISO 8601 input (`2026-01-02`, `2026-01-02T03:04:05+02:00`, `...05.1234567Z`) in the stored
 * `updated_at` format, so `updated_at > since` compares like with like.
 *
 * @example toStoredTimestamp('2026-01-02T03:04:05Z') // '2026-01-02T03:04:05.000000Z'
 */
export function toStoredTimestamp(iso: string): string {
  const micros = isoToMicros(iso);
  if (Number.isNaN(micros)) {
    throw new StoreError('invalid_timestamp', `'${iso}' is not an ISO 8601 timestamp (e.g. 2026-01-02T03:04:05Z)`);
  }
  return formatMicros(micros);
}

/**
 * A sighting time in the stored millisecond format; `fallback` when the input is not a date.
 * Inputs already in that format (the common case from parsers) are returned as they are.
 */
export function toStoredMillis(iso: string, fallback: string): string {
  if (MILLIS_FORMAT.test(iso)) return iso;
  const micros = isoToMicros(iso);
  if (Number.isNaN(micros)) {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? fallback : new Date(ms).toISOString();
  }
  return new Date(Math.floor(micros / 1000)).toISOString();
}

/** `iso` (stored millisecond format) plus whole days, in the same format. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}
