/**
 * The body of `GET /api/v1/lookup`, built from one IOC record. Pure.
 *
 * The hosted product documents two shapes (research note §1.3); we answer with both, so a
 * script written against either page works unchanged:
 * - `meta` + `data{…}`: the OpenAPI-generated (O) page, the complete answer, plus our `id`,
 *   `status`, `expires_at`, `risk.factors` and per-source aliases.
 * - top-level `found`, `value`, `type`, `confidence`, `risk_score` (a level string),
 *   `mitre_techniques[{id,name}]`, `hunting_queries{splunk,kql}` and `sources[{feed_name,category}]`:
 *   the hand-written (H) page's flat fields. Its `mitre_techniques` holds objects while (O)'s
 *   holds ids, which is why the two shapes live at different levels instead of being merged.
 */
import { attackName } from '../domain/attack.js';
import type { IocRecord } from '../domain/ioc.js';
import { assessRisk, type RiskAssessment, type RiskLevel } from '../domain/risk.js';
import type { Category, IocStatus, IocType } from '../domain/vocabulary.js';
import { huntingQueries, type HuntingQueries } from '../export/hunting.js';
import type { LookupHit } from '../store/search-queries.js';
import { responseMeta } from './observables.js';

export interface LookupSource {
  source_feed: string;
  source_category: Category;
  reference_url: string | null;
  first_seen: string;
  last_seen: string;
  occurrence_count: number;
  confidence: string;
  context: string | null;
  /** (H) spellings of source_feed and source_category. */
  feed_name: string;
  category: Category;
  origin: string;
  article_title: string | null;
  article_url: string | null;
}

export interface LookupData {
  found: boolean;
  id: string | null;
  ioc_value: string;
  ioc_type: IocType;
  confidence: string | null;
  first_seen: string | null;
  last_seen: string | null;
  total_occurrences: number;
  reporting_sources: number;
  threat_type: string | null;
  malware_family: string | null;
  tags: string[];
  mitre_techniques: string[];
  industries: string[];
  risk: RiskAssessment | null;
  hunting: HuntingQueries;
  sources: LookupSource[];
  status: IocStatus | null;
  expires_at: string | null;
}

export interface LookupBody {
  meta: ReturnType<typeof responseMeta>;
  data: LookupData;
  found: boolean;
  value: string;
  type: IocType;
  confidence: string | null;
  risk_score: RiskLevel | null;
  mitre_techniques: Array<{ id: string; name: string | null }>;
  hunting_queries: { splunk: string; kql: string };
  sources: Array<{ feed_name: string; category: Category }>;
}

function flat(data: LookupData): Omit<LookupBody, 'meta' | 'data'> {
  return {
    found: data.found,
    value: data.ioc_value,
    type: data.ioc_type,
    confidence: data.confidence,
    risk_score: data.risk?.level ?? null,
    mitre_techniques: data.mitre_techniques.map((id) => ({ id, name: attackName(id) })),
    hunting_queries: { splunk: data.hunting.splunk_query, kql: data.hunting.kql_query },
    sources: data.sources.map((s) => ({ feed_name: s.feed_name, category: s.category })),
  };
}

/**
 * The lookup answer for a stored IOC. `occurrences` maps a source's feed name to how many times
 * it reported the IOC (absent: once).
 */
export function lookupFound(record: IocRecord, occurrences: ReadonlyMap<string, number>, now: Date): LookupBody {
  const sources: LookupSource[] = record.sources.map((s) => ({
    source_feed: s.feed_name,
    source_category: s.category,
    reference_url: s.reference_url,
    first_seen: s.first_seen,
    last_seen: s.last_seen,
    occurrence_count: occurrences.get(s.feed_name) ?? 1,
    confidence: s.confidence,
    context: s.context,
    feed_name: s.feed_name,
    category: s.category,
    origin: s.origin,
    article_title: s.article_title,
    article_url: s.article_url,
  }));
  const risk = assessRisk(
    {
      confidence: record.confidence,
      sourceCount: Math.max(1, sources.length),
      categories: sources.length > 0 ? sources.map((s) => s.source_category) : [record.source.category],
      lastSeen: record.last_seen,
      status: record.status,
    },
    now,
  );
  const data: LookupData = {
    found: true,
    id: record.id,
    ioc_value: record.value,
    ioc_type: record.type,
    confidence: record.confidence,
    first_seen: record.first_seen,
    last_seen: record.last_seen,
    total_occurrences: sources.reduce((sum, s) => sum + s.occurrence_count, 0),
    reporting_sources: sources.length,
    threat_type: record.threat_type,
    malware_family: record.malware,
    tags: record.tags,
    mitre_techniques: record.mitre_techniques,
    industries: record.industries,
    risk,
    hunting: huntingQueries(record.type, record.value),
    sources,
    status: record.status,
    expires_at: record.expires_at,
  };
  return { meta: responseMeta(now), data, ...flat(data) };
}

/** The lookup answer for (type, value): found with what `hit` holds, or not found. */
export function lookupAnswer(type: IocType, value: string, hit: LookupHit | null, now: Date): LookupBody {
  return hit ? lookupFound(JSON.parse(hit.row.doc) as IocRecord, hit.occurrences, now) : lookupNotFound(type, value, now);
}

/**
 * The answer for a valid observable we hold nothing about. `found: false` is not a verdict of
 * safety: the hunting queries are still given, and risk is null (unknown), not low.
 */
export function lookupNotFound(type: IocType, value: string, now: Date): LookupBody {
  const data: LookupData = {
    found: false,
    id: null,
    ioc_value: value,
    ioc_type: type,
    confidence: null,
    first_seen: null,
    last_seen: null,
    total_occurrences: 0,
    reporting_sources: 0,
    threat_type: null,
    malware_family: null,
    tags: [],
    mitre_techniques: [],
    industries: [],
    risk: null,
    hunting: huntingQueries(type, value),
    sources: [],
    status: null,
    expires_at: null,
  };
  return { meta: responseMeta(now), data, ...flat(data) };
}
