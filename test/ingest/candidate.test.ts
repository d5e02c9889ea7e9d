import { describe, expect, it } from 'vitest';
import { MAX_CONTEXT_LENGTH, mergeCandidates, toCandidate } from '../../src/ingest/candidate.js';
import type { FeedDefaults, RawIndicator } from '../../src/ingest/types.js';

const NOW = '2026-03-01T12:00:00.000Z';
const DEFAULTS: FeedDefaults = { feed_name: 'F', category: 'government', confidence: 'high', tags: ['KEV'], tlp: 'clear', reference_url: 'https://feed.example/' };
const raw = (extra: Partial<RawIndicator> = {}): RawIndicator => ({ kind: 'indicator', line: 1, value: 'x', ...extra });
const ioc = { type: 'cve' as const, value: 'CVE-2024-3400' };

describe('toCandidate', () => {
  it('falls back to the feed defaults for what the record does not say', () => {
    expect(toCandidate(raw(), ioc, DEFAULTS, NOW)).toMatchObject({
      confidence: 'high',
      tags: ['kev'],
      tlp: 'clear',
      threat_type: null,
      malware: null,
      context: null,
      mitre_techniques: [],
      source: { feed_name: 'F', category: 'government', origin: 'feed', reference_url: 'https://feed.example/', first_seen: NOW, last_seen: NOW, confidence: 'high' },
    });
  });

  it.each([
    ['2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z'],
    ['2099-01-01T00:00:00.000Z', NOW],
  ])('first_seen %s → %s (never in the future)', (firstSeen, expected) => {
    expect(toCandidate(raw({ first_seen: firstSeen }), ioc, DEFAULTS, NOW).source.first_seen).toBe(expected);
  });

  it('maps the threat type to techniques, keeps valid stated ones, clips a long context', () => {
    const c = toCandidate(raw({ threat_type: 'exploited_vulnerability', mitre_techniques: ['t1059', 'bogus'], context: 'y'.repeat(5000) }), ioc, DEFAULTS, NOW);
    expect(c.mitre_techniques).toEqual(['T1059', 'T1190']);
    expect(c.context).toHaveLength(MAX_CONTEXT_LENGTH);
    expect(c.source.context).toBe(c.context);
  });
});

describe('mergeCandidates', () => {
  const a = toCandidate(raw({ confidence: 'low', context: 'first', tags: ['a'], first_seen: '2026-02-02T00:00:00.000Z' }), ioc, DEFAULTS, NOW);
  const b = toCandidate(raw({ confidence: 'medium', context: 'second', malware: 'M', tags: ['b'], first_seen: '2026-02-01T00:00:00.000Z' }), ioc, DEFAULTS, NOW);

  it('earliest first_seen, highest confidence, unions, and the more confident sighting’s words', () => {
    expect(mergeCandidates(a, b)).toMatchObject({
      confidence: 'medium',
      context: 'second',
      malware: 'M',
      tags: ['kev', 'a', 'b'],
      source: { first_seen: '2026-02-01T00:00:00.000Z', confidence: 'medium', context: 'second' },
    });
    // Equal confidence: the first sighting's words stay.
    expect(mergeCandidates(b, { ...a, confidence: 'medium', context: 'third' })).toMatchObject({ context: 'second' });
  });
});
