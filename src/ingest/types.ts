import type { Category, Confidence, IocType, Sector, Tlp } from '../domain/vocabulary.js';

/** The feed formats `socd ingest --format` accepts. One parser file each under ingest/parsers/. */
export const FEED_FORMATS = [
  'cisa-kev',
  'urlhaus',
  'threatfox',
  'threatfox-csv',
  'feodo',
  'spamhaus-drop',
  'openphish',
  'malwarebazaar',
  'list',
  'csv',
  'stix',
  'misp',
] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

/**
 * One indicator as a parser read it, before normalization. `value` is raw feed text (possibly
 * defanged, `ip:port`, upper-case...); `type` is what the feed says it is, or absent when the
 * runner must detect it. Every optional field is what the source itself states.
 */
export interface RawIndicator {
  kind: 'indicator';
  /** 1-based line (or record number for JSON formats) in the input, for error reports. */
  line: number;
  value: string;
  type?: IocType;
  first_seen?: string;
  last_seen?: string;
  confidence?: Confidence;
  tags?: string[];
  mitre_techniques?: string[];
  industries?: Sector[];
  threat_type?: string;
  malware?: string;
  reference_url?: string;
  context?: string;
  tlp?: Tlp;
  /** Source category when the record itself says (e.g. MISP org); else the feed default. */
  category?: Category;
}

/** A record the parser could not read. The runner counts it, reports it, and moves on. */
export interface ParseProblem {
  kind: 'problem';
  line: number;
  message: string;
}

/** A record the parser understood and skips on purpose (e.g. a STIX indicator with a compound pattern). */
export interface ParseSkip {
  kind: 'skip';
  line: number;
  message: string;
}

export type ParseItem = RawIndicator | ParseProblem | ParseSkip;

/** Per-feed defaults that a parser applies when a record says nothing (from the feed config). */
export interface FeedDefaults {
  feed_name: string;
  category: Category;
  confidence: Confidence;
  reference_url?: string;
  tags?: string[];
  industries?: Sector[];
  tlp?: Tlp;
  /** Allow private/reserved addresses (an internal feed). */
  internal?: boolean;
}

/**
 * A parser reads a byte stream incrementally and yields items; it never buffers the whole input
 * (JSON formats use a streaming JSON parser).
 */
export interface FeedParser {
  format: FeedFormat;
  /** Feed defaults this format implies (e.g. CISA KEV is `government`). Feed config overrides. */
  defaults: Partial<FeedDefaults>;
  parse(input: AsyncIterable<Buffer | string>): AsyncIterable<ParseItem>;
}
