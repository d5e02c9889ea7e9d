import type { IocCandidate } from '../domain/ioc.js';
import { techniquesForThreat } from '../domain/threat-map.js';
import type { Confidence, IocType, Sector } from '../domain/vocabulary.js';
import type { FeedDefaults, RawIndicator } from './types.js';

/** Longest context kept: feeds sometimes paste whole reports into a description. */
export const MAX_CONTEXT_LENGTH = 2000;
const MAX_TAG_LENGTH = 100;
const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const RANK: Readonly<Record<Confidence, number>> = { high: 3, medium: 2, low: 1 };

/**
 * The candidate a feed record becomes once its value is canonical: record fields first, feed
 * defaults second. `last_seen` is the ingest time (the feed lists the IOC now, which is what
 * keeps it from expiring); `first_seen` is what the record states, else the ingest time. Tags
 * are trimmed, lower-cased and distinct; techniques are the record's plus those its threat_type
 * implies (domain/threat-map).
 *
 * @example
 * toCandidate(raw, { type: 'ipv4', value: '1.2.3.4' }, defaults, '2026-01-01T00:00:00.000Z')
 */
export function toCandidate(raw: RawIndicator, ioc: { type: IocType; value: string }, defaults: FeedDefaults, nowIso: string): IocCandidate {
  const confidence = raw.confidence ?? defaults.confidence;
  const threatType = raw.threat_type?.trim() || null;
  const context = raw.context?.trim() || null;
  return {
    type: ioc.type,
    value: ioc.value,
    confidence,
    source: {
      feed_name: defaults.feed_name,
      category: raw.category ?? defaults.category,
      origin: 'feed',
      reference_url: raw.reference_url ?? defaults.reference_url ?? null,
      article_id: null,
      article_title: null,
      article_url: null,
      first_seen: raw.first_seen !== undefined && raw.first_seen < nowIso ? raw.first_seen : nowIso,
      last_seen: nowIso,
      confidence,
      context: context === null ? null : clip(context),
    },
    tags: cleanTags([...(defaults.tags ?? []), ...(raw.tags ?? [])]),
    mitre_techniques: distinct([...(raw.mitre_techniques ?? []), ...(threatType ? techniquesForThreat(threatType, ioc.type, ioc.value) : [])].map((t) => t.trim().toUpperCase()).filter((t) => TECHNIQUE_ID.test(t))),
    industries: distinct<Sector>([...(defaults.industries ?? []), ...(raw.industries ?? [])]),
    threat_type: threatType,
    malware: raw.malware?.trim() || null,
    tlp: raw.tlp ?? defaults.tlp ?? null,
    context: context === null ? null : clip(context),
  };
}

/**
 * One candidate from two sightings of the same IOC in the same feed run (e.g. a ThreatFox IP
 * listed with two ports): earliest first_seen, highest confidence, list unions, and the first
 * stated threat_type, malware, context and reference unless the later sighting is more confident.
 */
export function mergeCandidates(a: IocCandidate, b: IocCandidate): IocCandidate {
  const bWins = RANK[b.confidence] > RANK[a.confidence];
  const pick = <T>(x: T | null, y: T | null): T | null => (bWins ? (y ?? x) : (x ?? y));
  const confidence = bWins ? b.confidence : a.confidence;
  return {
    ...a,
    confidence,
    source: {
      ...a.source,
      reference_url: pick(a.source.reference_url, b.source.reference_url),
      first_seen: a.source.first_seen <= b.source.first_seen ? a.source.first_seen : b.source.first_seen,
      last_seen: a.source.last_seen >= b.source.last_seen ? a.source.last_seen : b.source.last_seen,
      confidence,
      context: pick(a.source.context, b.source.context),
    },
    tags: distinct([...a.tags, ...b.tags]),
    mitre_techniques: distinct([...a.mitre_techniques, ...b.mitre_techniques]),
    industries: distinct([...a.industries, ...b.industries]),
    threat_type: pick(a.threat_type, b.threat_type),
    malware: pick(a.malware, b.malware),
    tlp: b.tlp ?? a.tlp,
    context: pick(a.context, b.context),
  };
}

function cleanTags(tags: readonly string[]): string[] {
  return distinct(tags.map((t) => t.trim().toLowerCase()).filter((t) => t !== '' && t.length <= MAX_TAG_LENGTH));
}

function distinct<T extends string>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function clip(text: string): string {
  return text.length <= MAX_CONTEXT_LENGTH ? text : `${text.slice(0, MAX_CONTEXT_LENGTH - 1)}…`;
}
