import type { IocCandidate, IocSource } from '../../src/domain/ioc.js';
import type { Confidence, IocType } from '../../src/domain/vocabulary.js';

/** Test candidates: sensible defaults, any field overridable, `source` fields merged in. */
export interface CandidateOverrides extends Partial<Omit<IocCandidate, 'source'>> {
  source?: Partial<IocSource>;
}

export function candidate(o: CandidateOverrides = {}): IocCandidate {
  const confidence: Confidence = o.confidence ?? 'medium';
  return {
    type: 'domain' as IocType,
    value: 'evil.example',
    tags: [],
    mitre_techniques: [],
    industries: [],
    threat_type: null,
    malware: null,
    tlp: null,
    context: null,
    ...o,
    confidence,
    source: {
      feed_name: 'feed-a',
      category: 'community',
      origin: 'feed',
      reference_url: null,
      article_id: null,
      article_title: null,
      article_url: null,
      first_seen: '2026-01-01T00:00:00.000Z',
      last_seen: '2026-01-02T00:00:00.000Z',
      confidence,
      context: null,
      ...o.source,
    },
  };
}

/** A distinct domain candidate per `i` (`host-<i>.example`). */
export function numbered(i: number, o: CandidateOverrides = {}): IocCandidate {
  return candidate({ value: `host-${i}.example`, ...o });
}
