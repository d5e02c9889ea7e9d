import { describe, expect, it } from 'vitest';
import { assessRisk, riskLevel, type RiskInput } from '../../src/domain/risk.js';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const daysAgo = (d: number): string => new Date(NOW.getTime() - d * 86_400_000).toISOString();
const base: RiskInput = { confidence: 'high', sourceCount: 1, categories: ['community'], lastSeen: daysAgo(0), status: 'active' };

describe('assessRisk', () => {
  const cases: Array<{ name: string; input: Partial<RiskInput>; score: number; level: string }> = [
    { name: 'high, one community source, seen today', input: {}, score: 40 + 0 + 8 + 25, level: 'high' },
    { name: 'medium confidence', input: { confidence: 'medium' }, score: 25 + 8 + 25, level: 'medium' },
    { name: 'low confidence, 100 days old', input: { confidence: 'low', lastSeen: daysAgo(100) }, score: 10 + 8, level: 'low' },
    { name: 'three sources, government', input: { sourceCount: 3, categories: ['news', 'government'] }, score: 40 + 10 + 15 + 25, level: 'critical' },
    { name: 'source points cap at 20', input: { sourceCount: 40, categories: ['government'] }, score: 100, level: 'critical' },
    { name: 'seen 5 days ago', input: { lastSeen: daysAgo(5) }, score: 40 + 8 + 20, level: 'high' },
    { name: 'seen 20 days ago', input: { lastSeen: daysAgo(20) }, score: 40 + 8 + 12, level: 'high' },
    { name: 'seen 60 days ago', input: { lastSeen: daysAgo(60) }, score: 40 + 8 + 5, level: 'medium' },
    { name: 'expired halves', input: { status: 'expired' }, score: Math.round((40 + 8 + 25) / 2), level: 'medium' },
    { name: 'allowlisted is zero', input: { status: 'allowlisted', sourceCount: 9 }, score: 0, level: 'low' },
    { name: 'revoked is zero', input: { status: 'revoked' }, score: 0, level: 'low' },
    { name: 'no categories', input: { categories: [] }, score: 65, level: 'high' },
    { name: 'future last_seen counts as today', input: { lastSeen: daysAgo(-3) }, score: 73, level: 'high' },
    { name: 'unparsable last_seen earns no recency', input: { lastSeen: 'yesterday' }, score: 48, level: 'medium' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = assessRisk({ ...base, ...c.input }, NOW);
      expect(r.score).toBe(c.score);
      expect(r.level).toBe(c.level);
      // The components are the score: anyone can recompute it from the response.
      const f = r.factors;
      expect(Math.round((f.confidence + f.sources + f.categories + f.recency) * f.status_multiplier)).toBe(r.score);
    });
  }

  it('reports the age in whole days', () => {
    expect(assessRisk({ ...base, lastSeen: daysAgo(5.5) }, NOW).factors.days_since_last_seen).toBe(5);
    expect(assessRisk({ ...base, lastSeen: 'nope' }, NOW).factors.days_since_last_seen).toBe(-1);
  });
});

describe('riskLevel', () => {
  const table: Array<[number, string]> = [
    [100, 'critical'],
    [80, 'critical'],
    [79, 'high'],
    [60, 'high'],
    [59, 'medium'],
    [35, 'medium'],
    [34, 'low'],
    [0, 'low'],
  ];
  for (const [score, level] of table) it(`${score} → ${level}`, () => expect(riskLevel(score)).toBe(level));
});
