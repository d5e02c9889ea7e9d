import type { IocCandidate, IocRecord, IocSource } from '../domain/ioc.js';
import type { Confidence, IocStatus, IocType, Tlp } from '../domain/vocabulary.js';
import { addDays, toStoredMillis } from './timestamps.js';

/**
 * How a batch of sightings changes one IOC: pure, so the rules are table-tested without a
 * database (test/store/merge.test.ts). The store loads the stored record, calls
 * {@link mergeIoc}, and writes according to the returned `kind`.
 */

/** An IOC record without the version stamp, which the writer assigns. */
export type IocState = Omit<IocRecord, 'version' | 'updated_at'>;

export interface MergeContext {
  /** Now, in the stored millisecond format (`2026-01-02T03:04:05.678Z`). */
  nowIso: string;
  ttlDays: Partial<Record<IocType, number>>;
  /**
   * Whether the IOC is on the allowlist; `undefined` when no allowlist was given, in which case
   * an IOC already `allowlisted` stays so (a missing allowlist must not re-activate it).
   */
  allowlisted: boolean | undefined;
  /** See UpsertContext.lastSeenResolutionMs (0 or absent: every advance is written). */
  lastSeenResolutionMs?: number;
}

/**
 * - `added`: a new IOC (new version).
 * - `updated`: a stored field other than last_seen / expires_at / occurrences changed (new version).
 * - `touched`: only last_seen / expires_at / occurrences moved (rewritten in place, same version).
 * - `unchanged`: nothing to write.
 */
export type MergeKind = 'added' | 'updated' | 'touched' | 'unchanged';

/** A source row to upsert; `occurrences` is the number of new sightings to add to its count. */
export interface SourceWrite {
  source: IocSource;
  occurrences: number;
}

export interface MergeResult {
  kind: MergeKind;
  state: IocState;
  sourceWrites: SourceWrite[];
}

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };

/** The higher of two confidences. */
export function maxConfidence(a: Confidence, b: Confidence): Confidence {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The TLP an IOC gets when no source states one (hosted product: high→green, medium→amber, low→clear). */
export function defaultTlp(confidence: Confidence): Tlp {
  return confidence === 'high' ? 'green' : confidence === 'medium' ? 'amber' : 'clear';
}

/** The primary `source`: highest confidence, then most recently seen, then feed name. */
export function primarySource(sources: readonly IocSource[]): IocSource {
  let best = sources[0];
  if (!best) throw new Error('an IOC has at least one source');
  for (const s of sources) {
    const d = RANK[s.confidence] - RANK[best.confidence];
    if (d > 0 || (d === 0 && (s.last_seen > best.last_seen || (s.last_seen === best.last_seen && s.feed_name < best.feed_name)))) {
      best = s;
    }
  }
  return best;
}

/** The status rules, in order: revoked stays revoked; allowlisted; expired; else active. */
export function decideStatus(previous: IocStatus | null, expiresAt: string | null, ctx: MergeContext): IocStatus {
  if (previous === 'revoked') return 'revoked';
  if (ctx.allowlisted === true || (ctx.allowlisted === undefined && previous === 'allowlisted')) return 'allowlisted';
  if (expiresAt !== null && expiresAt <= ctx.nowIso) return 'expired';
  return 'active';
}

function sourceOf(c: IocCandidate, nowIso: string): IocSource {
  const s = c.source;
  const last = toStoredMillis(s.last_seen, nowIso);
  const first = toStoredMillis(s.first_seen, last);
  return {
    feed_name: s.feed_name,
    category: s.category,
    origin: s.origin,
    reference_url: s.reference_url,
    article_id: s.article_id,
    article_title: s.article_title,
    article_url: s.article_url,
    first_seen: first <= last ? first : last,
    last_seen: last,
    // The IOC's confidence is the max over its sources, so what the candidate claims for the
    // IOC is folded into its source: nothing is lost on a later merge.
    confidence: maxConfidence(c.confidence, s.confidence),
    context: s.context,
  };
}

function union<T extends string>(base: readonly T[], add: readonly T[]): T[] {
  if (add.length === 0) return base.slice();
  const set = new Set<T>(base);
  for (const x of add) set.add(x);
  return [...set].sort();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Equal in every field that needs a new version (all but last_seen). */
function sameSourceIdentity(a: IocSource, b: IocSource): boolean {
  return (
    a.feed_name === b.feed_name &&
    a.category === b.category &&
    a.origin === b.origin &&
    a.reference_url === b.reference_url &&
    a.article_id === b.article_id &&
    a.article_title === b.article_title &&
    a.article_url === b.article_url &&
    a.first_seen === b.first_seen &&
    a.confidence === b.confidence &&
    a.context === b.context
  );
}

/** Whether `next` differs from `prev` in anything but last_seen / expires_at. */
export function needsNewVersion(prev: IocState, next: IocState): boolean {
  if (
    prev.status !== next.status ||
    prev.confidence !== next.confidence ||
    prev.first_seen !== next.first_seen ||
    prev.context !== next.context ||
    prev.threat_type !== next.threat_type ||
    prev.malware !== next.malware ||
    prev.tlp !== next.tlp ||
    prev.source.feed_name !== next.source.feed_name ||
    prev.source.category !== next.source.category ||
    prev.source.origin !== next.source.origin ||
    prev.source.reference_url !== next.source.reference_url ||
    prev.source.article_id !== next.source.article_id ||
    prev.source.article_title !== next.source.article_title ||
    prev.source.article_url !== next.source.article_url ||
    !sameList(prev.tags, next.tags) ||
    !sameList(prev.mitre_techniques, next.mitre_techniques) ||
    !sameList(prev.industries, next.industries) ||
    prev.sources.length !== next.sources.length
  ) {
    return true;
  }
  for (let i = 0; i < prev.sources.length; i++) {
    const a = prev.sources[i];
    const b = next.sources[i];
    if (!a || !b || !sameSourceIdentity(a, b)) return true;
  }
  return false;
}

/** Takes `incoming` over `current` when current is null or incoming comes with higher confidence. */
class ScalarPick {
  constructor(
    public value: string | null,
    private confidence: Confidence,
  ) {}

  offer(incoming: string | null, confidence: Confidence): void {
    if (incoming === null || incoming === '') return;
    if (this.value === null || RANK[confidence] > RANK[this.confidence]) {
      this.value = incoming;
      this.confidence = confidence;
    }
  }
}

/**
 * Merges a batch's sightings of one IOC (`candidates`, same type and value, in feed order) into
 * the stored record (`existing`, null for a new IOC).
 *
 * - first_seen = min, last_seen = max; confidence = max over sources.
 * - tags, mitre_techniques, industries: sorted unions.
 * - threat_type, malware, context: kept unless null, or replaced by a source of higher confidence.
 * - sources merged by feed_name (first_seen min, last_seen max; descriptive fields from the most
 *   recent sighting; occurrences +1 per sighting that advances last_seen).
 * - tlp: the last candidate that states one; else the stored one; else from confidence.
 * - expires_at = last_seen + ttlDays[type] (null without a TTL); status per {@link decideStatus}.
 *
 * @example
 * const { kind, state } = mergeIoc(iocId('ipv4', '198.51.100.7'), null, [candidate], ctx);
 * // kind === 'added'
 */
export function mergeIoc(
  id: string,
  existing: IocRecord | null,
  candidates: readonly IocCandidate[],
  ctx: MergeContext,
): MergeResult {
  const first = candidates[0];
  if (!first) throw new Error('mergeIoc needs at least one candidate');
  const type = existing?.type ?? first.type;
  const value = existing?.value ?? first.value;

  const sources = new Map<string, IocSource>();
  const added = new Map<string, number>();
  if (existing) for (const s of existing.sources) sources.set(s.feed_name, s);

  const baseConfidence = existing?.confidence ?? 'low';
  const threatType = new ScalarPick(existing?.threat_type ?? null, baseConfidence);
  const malware = new ScalarPick(existing?.malware ?? null, baseConfidence);
  const context = new ScalarPick(existing?.context ?? null, baseConfidence);
  let tags: string[] = existing?.tags ?? [];
  let techniques: string[] = existing?.mitre_techniques ?? [];
  let industries = existing?.industries ?? [];
  let statedTlp: Tlp | null = null;

  for (const c of candidates) {
    const inc = sourceOf(c, ctx.nowIso);
    const cur = sources.get(inc.feed_name);
    if (!cur) {
      sources.set(inc.feed_name, inc);
      added.set(inc.feed_name, (added.get(inc.feed_name) ?? 0) + 1);
    } else {
      const newer = inc.last_seen >= cur.last_seen;
      sources.set(inc.feed_name, {
        ...(newer ? inc : cur),
        first_seen: inc.first_seen < cur.first_seen ? inc.first_seen : cur.first_seen,
        last_seen: newer ? inc.last_seen : cur.last_seen,
      });
      if (inc.last_seen > cur.last_seen) added.set(inc.feed_name, (added.get(inc.feed_name) ?? 0) + 1);
    }
    threatType.offer(c.threat_type, inc.confidence);
    malware.offer(c.malware, inc.confidence);
    context.offer(c.context, inc.confidence);
    tags = union(tags, c.tags);
    techniques = union(techniques, c.mitre_techniques);
    industries = union(industries, c.industries);
    if (c.tlp !== null) statedTlp = c.tlp;
  }

  const merged = [...sources.values()].sort((a, b) => (a.feed_name < b.feed_name ? -1 : a.feed_name > b.feed_name ? 1 : 0));
  let confidence: Confidence = 'low';
  let firstSeen = existing?.first_seen ?? '';
  let lastSeen = existing?.last_seen ?? '';
  for (const s of merged) {
    confidence = maxConfidence(confidence, s.confidence);
    if (firstSeen === '' || s.first_seen < firstSeen) firstSeen = s.first_seen;
    if (s.last_seen > lastSeen) lastSeen = s.last_seen;
  }
  const ttl = ctx.ttlDays[type];
  const expiresAt = ttl === undefined ? null : addDays(lastSeen, ttl);
  const primary = primarySource(merged);

  const state: IocState = {
    id,
    type,
    value,
    confidence,
    first_seen: firstSeen,
    last_seen: lastSeen,
    source: {
      feed_name: primary.feed_name,
      category: primary.category,
      origin: primary.origin,
      reference_url: primary.reference_url,
      article_id: primary.article_id,
      article_title: primary.article_title,
      article_url: primary.article_url,
    },
    context: context.value,
    tags,
    mitre_techniques: techniques,
    sources: merged,
    industries,
    threat_type: threatType.value,
    malware: malware.value,
    tlp: statedTlp ?? existing?.tlp ?? defaultTlp(confidence),
    expires_at: expiresAt,
    status: decideStatus(existing?.status ?? null, expiresAt, ctx),
  };

  const stored = new Map<string, IocSource>();
  if (existing) for (const s of existing.sources) stored.set(s.feed_name, s);
  const sourceWrites: SourceWrite[] = [];
  for (const s of merged) {
    const before = stored.get(s.feed_name);
    const occurrences = added.get(s.feed_name) ?? 0;
    if (!before || occurrences > 0 || before.last_seen !== s.last_seen || !sameSourceIdentity(before, s)) {
      sourceWrites.push({ source: s, occurrences });
    }
  }

  let kind: MergeKind;
  if (!existing) kind = 'added';
  else if (needsNewVersion(existing, state)) kind = 'updated';
  else if (sourceWrites.length === 0 && existing.last_seen === state.last_seen && existing.expires_at === state.expires_at) kind = 'unchanged';
  else if (onlySmallAdvances(existing, state, ctx.lastSeenResolutionMs ?? 0)) return { kind: 'unchanged', state: existing, sourceWrites: [] };
  else kind = 'touched';
  return { kind, state, sourceWrites };
}

/**
 * True when a touch would only move last_seen values forward by less than `resolutionMs` (a
 * feed re-fetched every few minutes): the stored values are close enough, nothing is written.
 */
function onlySmallAdvances(prev: IocState, next: IocState, resolutionMs: number): boolean {
  if (resolutionMs <= 0) return false;
  const small = (before: string, after: string) => Date.parse(after) - Date.parse(before) < resolutionMs;
  if (!small(prev.last_seen, next.last_seen)) return false;
  for (let i = 0; i < prev.sources.length; i++) {
    const a = prev.sources[i];
    const b = next.sources[i];
    if (!a || !b || !small(a.last_seen, b.last_seen)) return false;
  }
  return true;
}

