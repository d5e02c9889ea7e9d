/**
 * Splunk HTTP Event Collector event envelopes (DESIGN.md §7): one
 * `{"time","host","source","sourcetype","index","event"}` object per IOC version, the `event`
 * being the IOC document exactly as the API returns it. HEC takes a batch as envelopes
 * concatenated in one POST body to `/services/collector/event`; we end each with `\n`, which HEC
 * ignores between objects and which makes the same text valid NDJSON for anyone else.
 *
 * Envelopes are built by concatenating the pre-rendered document (no JSON.stringify of the IOC),
 * so `GET /api/v1/iocs?format=hec` and the HEC push connector cost about what NDJSON costs.
 * `time` is the version's `updated_at` (when this state of the IOC was written) in epoch seconds
 * with its microseconds, so Splunk orders the events of one IOC as they happened.
 */
import type { IocRecord } from '../domain/ioc.js';

export const HEC_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';
export const DEFAULT_HEC_SOURCETYPE = 'socd:ioc';
export const DEFAULT_HEC_SOURCE = 'soc-defenders';

/** The envelope fields every event of one destination (or one request) shares. */
export interface HecEnvelopeMeta {
  host: string;
  source: string;
  sourcetype: string;
  /** Absent: the HEC token's default index. */
  index: string | null;
}

/** A stored version: the pre-rendered document and its `updated_at`. */
export interface HecSourceRow {
  updated_at: string;
  doc: string;
}

const STORED_MICROS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{6})Z$/;

/**
 * Epoch seconds of an ISO timestamp as HEC's `time` wants it, keeping the stored microseconds.
 * Returns null when the text is not a date (HEC then stamps the event on arrival).
 *
 * @example hecTime('2026-11-26T07:04:43.123456Z') // '1795676683.123456'
 */
export function hecTime(iso: string): string | null {
  const m = STORED_MICROS.exec(iso);
  if (m) {
    const seconds = Date.parse(`${m[1] as string}Z`) / 1000;
    return Number.isFinite(seconds) ? `${seconds}.${m[2] as string}` : null;
  }
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? (ms / 1000).toFixed(3) : null;
}

/**
 * Renders envelopes for one destination: the constant middle (`host` to `event`) is serialized
 * once, and `time` is computed once per distinct second (versions written together share it).
 */
export class HecEnvelopeWriter {
  readonly #middle: string;
  readonly #middleBytes: Buffer;
  #lastSecondKey = '';
  #lastSeconds = '';

  constructor(meta: HecEnvelopeMeta) {
    let middle = `"host":${JSON.stringify(meta.host)},"source":${JSON.stringify(meta.source)},"sourcetype":${JSON.stringify(meta.sourcetype)}`;
    if (meta.index !== null && meta.index !== '') middle += `,"index":${JSON.stringify(meta.index)}`;
    this.#middle = `${middle},"event":`;
    this.#middleBytes = Buffer.from(this.#middle, 'utf8');
  }

  /** Bytes an envelope adds around its document (at most). */
  get overhead(): number {
    return this.#middleBytes.length + 32;
  }

  #time(updatedAt: string): string | null {
    // The stored form (27 characters, `...HH:MM:SS.ffffffZ`) is cut by position; anything else goes the slow way.
    if (updatedAt.length !== 27 || updatedAt.charCodeAt(19) !== 46 /* . */ || updatedAt.charCodeAt(26) !== 90 /* Z */) return hecTime(updatedAt);
    const secondKey = updatedAt.slice(0, 19);
    if (secondKey !== this.#lastSecondKey) {
      const t = hecTime(updatedAt);
      if (t === null) return null;
      this.#lastSecondKey = secondKey;
      this.#lastSeconds = t.slice(0, t.indexOf('.'));
    }
    return `${this.#lastSeconds}.${updatedAt.slice(20, 26)}`;
  }

  /** One envelope line for a pre-rendered document (a JSON object text). */
  event(row: HecSourceRow): string {
    const time = this.#time(row.updated_at);
    return time === null ? `{${this.#middle}${row.doc}}\n` : `{"time":${time},${this.#middle}${row.doc}}\n`;
  }

  /** Envelope lines for a chunk of stored rows. */
  events(rows: readonly HecSourceRow[]): string {
    let out = '';
    for (const row of rows) out += this.event(row);
    return out;
  }

  /**
   * Envelope lines, as one UTF-8 buffer, for documents already in UTF-8 bytes: the push
   * connector's request body, built with one copy of each document and no string round trip.
   */
  encode(rows: readonly HecByteRow[]): Buffer {
    const times: Array<string | null> = new Array<string | null>(rows.length);
    let size = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as HecByteRow;
      const time = this.#time(row.updated_at);
      times[i] = time;
      // `{"time":` + digits + `,` (ASCII) or `{`; the middle; the document; `}\n`.
      size += (time === null ? 1 : 9 + time.length) + this.#middleBytes.length + row.doc.length + 2;
    }
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as HecByteRow;
      const time = times[i];
      at += out.write(time === null ? '{' : `{"time":${time},`, at, 'latin1');
      at += this.#middleBytes.copy(out, at);
      out.set(row.doc, at);
      at += row.doc.length;
      out[at++] = 0x7d; // }
      out[at++] = 0x0a; // \n
    }
    return out;
  }
}

/** A stored version whose document is UTF-8 bytes. */
export interface HecByteRow {
  updated_at: string;
  doc: Uint8Array;
}

/** One envelope line for an IOC record (tests and callers without the stored document). */
export function renderHecEvent(record: IocRecord, meta: HecEnvelopeMeta): string {
  return new HecEnvelopeWriter(meta).event({ updated_at: record.updated_at, doc: JSON.stringify(record) });
}
