import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/domain/normalize.js';
import { CATEGORIES, CONFIDENCES, IOC_TYPES, SECTORS } from '../../src/domain/vocabulary.js';
import { demoCandidates } from '../../src/ingest/demo.js';

describe('demo dataset', () => {
  const now = new Date('2026-11-26T00:00:00Z');
  const demo = demoCandidates(now);

  it('has a few hundred IOCs of every type, sector, confidence and category', () => {
    expect(demo.length).toBeGreaterThanOrEqual(300);
    expect(new Set(demo.map((c) => c.type))).toEqual(new Set(IOC_TYPES));
    expect(new Set(demo.map((c) => c.confidence))).toEqual(new Set(CONFIDENCES));
    expect(new Set(demo.map((c) => c.source.category))).toEqual(new Set(CATEGORIES));
    expect(new Set(demo.flatMap((c) => c.industries))).toEqual(new Set(SECTORS));
  });

  it('holds only canonical, unique values that are tagged as demo', () => {
    const keys = new Set<string>();
    for (const c of demo) {
      const n = normalize(c.value, c.type);
      expect(n).toEqual({ ok: true, type: c.type, value: c.value });
      keys.add(`${c.type}:${c.value}`);
      expect(c.tags).toContain('demo');
      expect(c.source.feed_name.startsWith('demo:')).toBe(true);
    }
    expect(keys.size).toBe(demo.length);
  });

  it('is deterministic for a given clock', () => {
    expect(demoCandidates(now)).toEqual(demo);
  });
});
