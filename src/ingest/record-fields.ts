import { confidenceFromScore } from '../domain/threat-map.js';
import type { Confidence, IocType } from '../domain/vocabulary.js';

/**
 * Small readers for the field values feeds write, shared by the parsers. They read what a field
 * says; they do not normalize indicator values (that is domain/normalize's job).
 */

// Feeds spell "no value" in many ways (abuse.ch writes "None" and "n/a").
const ABSENT = new Set(['', 'none', 'null', 'n/a', 'na', '-', 'unknown']);

/** The trimmed text of a field, or undefined when it is empty or one of the feeds' "no value" markers. */
export function present(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return ABSENT.has(trimmed.toLowerCase()) ? undefined : trimmed;
}

/** A `sep`-separated tag list (`"elf,mirai"`) as its present, distinct items. */
export function splitList(value: unknown, sep = ','): string[] {
  const text = present(value);
  if (text === undefined) return [];
  const out: string[] = [];
  for (const part of text.split(sep)) {
    const item = present(part);
    if (item !== undefined && !out.includes(item)) out.push(item);
  }
  return out;
}

/** Distinct, present strings from several optional lists, in order. */
export function mergeLists(...lists: ReadonlyArray<ReadonlyArray<string> | undefined>): string[] {
  const out: string[] = [];
  for (const list of lists) {
    for (const raw of list ?? []) {
      const item = present(raw);
      if (item !== undefined && !out.includes(item)) out.push(item);
    }
  }
  return out;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// abuse.ch writes `2026-04-12 04:49:28` in UTC without a zone.
const DATE_TIME_NO_ZONE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/;
const EPOCH = /^\d{9,11}(\.\d+)?$/;

/**
 * A feed timestamp as ISO 8601 UTC (`2026-04-12T04:49:28.000Z`), or undefined when it is absent
 * or unreadable. Accepts dates, date-times without a zone (read as UTC, as abuse.ch and
 * Spamhaus mean them), ISO 8601 with a zone, and Unix epoch seconds (MISP).
 */
export function isoUtc(value: unknown): string | undefined {
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    ms = value * 1000;
  } else {
    const text = present(value);
    if (text === undefined) return undefined;
    if (EPOCH.test(text)) ms = Number(text) * 1000;
    else if (DATE_ONLY.test(text)) ms = Date.parse(`${text}T00:00:00Z`);
    else if (DATE_TIME_NO_ZONE.test(text)) ms = Date.parse(`${text.replace(' ', 'T')}Z`);
    else ms = Date.parse(text);
  }
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export interface HostPort {
  host: string;
  port?: string;
}

/** Splits `1.2.3.4:80` / `[2001:db8::1]:443` / `host:8080`; a bare IPv6 address is left whole. */
export function splitHostPort(value: string): HostPort {
  const text = value.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  if (bracketed?.[1]) return bracketed[2] ? { host: bracketed[1], port: bracketed[2] } : { host: bracketed[1] };
  const colon = text.lastIndexOf(':');
  if (colon > 0 && text.indexOf(':') === colon && /^\d{1,5}$/.test(text.slice(colon + 1))) {
    return { host: text.slice(0, colon), port: text.slice(colon + 1) };
  }
  return { host: text };
}

/** The IP type a feed's "IP address" field most likely holds (normalize has the final word). */
export function ipTypeOf(value: string): Extract<IocType, 'ipv4' | 'ipv6'> {
  return value.includes(':') ? 'ipv6' : 'ipv4';
}

/**
 * A 0-100 score (ThreatFox `confidence_level`, STIX `confidence`) as a confidence level, by the
 * domain's thresholds. Undefined for a missing or out-of-range score, so the feed default applies
 * instead of `low`.
 */
export function confidenceFromPercent(value: unknown): Confidence | undefined {
  const n = typeof value === 'number' ? value : Number(present(value) ?? Number.NaN);
  if (!Number.isFinite(n) || n < 0 || n > 100) return undefined;
  return confidenceFromScore(n);
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/i;

/** The first http(s) URL in free text, without trailing punctuation. */
export function firstUrl(text: unknown): string | undefined {
  const t = present(text);
  if (t === undefined) return undefined;
  const match = URL_IN_TEXT.exec(t);
  return match ? match[0].replace(/[.,;:)\]]+$/, '') : undefined;
}

/** True when the text is a single http(s) URL (e.g. a MISP comment that is only a link). */
export function isUrl(text: string): boolean {
  return /^https?:\/\/\S+$/i.test(text.trim());
}

/** Joins the present parts of a context sentence with "; ". Undefined when nothing is present. */
export function joinContext(...parts: unknown[]): string | undefined {
  const present_ = parts.map((p) => present(p)).filter((p): p is string => p !== undefined);
  return present_.length > 0 ? present_.join('; ') : undefined;
}

/** Narrows a JSON value to a plain object (record of unknown fields). */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Narrows a JSON value to an array (empty when it is not one). */
export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
