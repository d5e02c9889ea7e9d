import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/api/errors.js';
import { lookbackFloor, parseIocFilter } from '../../src/api/ioc-filter.js';
import { encodeCursor } from '../../src/api/cursor.js';
import { DEFAULT_PLANS, type Plan } from '../../src/domain/plans.js';

const free = DEFAULT_PLANS.free as Plan;
const pro = DEFAULT_PLANS.pro as Plan;
const now = new Date('2026-03-10T12:34:56.789Z');

function error(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('parseIocFilter', () => {
  it('defaults: active, limit 100, since = lookback floor (minute-aligned)', () => {
    const p = parseIocFilter({}, free, now);
    expect(p.query).toEqual({ limit: 100, status: 'active', since: '2026-03-09T12:34:00.000000Z' });
    expect(p.offset).toBe(0);
    expect(p.cursor).toBeNull();
    expect(lookbackFloor(pro, now)).toBe('2025-03-10T12:34:00.000000Z');
  });

  it('parses every filter', () => {
    const p = parseIocFilter(
      {
        type: 'IPv4, mitre_attack,ipv4',
        confidence: 'high',
        category: 'government',
        industry: 'healthcare',
        since: '2026-03-01T00:00:00+01:00',
        status: 'all',
        limit: 500,
        offset: 20,
      },
      pro,
      now,
    );
    expect(p.query).toEqual({
      types: ['ipv4', 'mitre-attack'],
      confidence: 'high',
      category: 'government',
      industry: 'healthcare-public-health',
      since: '2026-02-28T23:00:00.000000Z',
      status: 'all',
      limit: 500,
      offset: 20,
    });
    expect(p.filters.type).toEqual(['ipv4', 'mitre-attack']);
  });

  it('keeps microseconds of a since copied from updated_at', () => {
    expect(parseIocFilter({ since: '2026-03-10T01:02:03.123456Z' }, free, now).query.since).toBe('2026-03-10T01:02:03.123456Z');
  });

  it('turns a cursor into afterVersion', () => {
    const p = parseIocFilter({ cursor: encodeCursor(77) }, free, now);
    expect(p.query.afterVersion).toBe(77);
    expect(p.cursor).toBe(encodeCursor(77));
  });

  const cases: Array<[string, Parameters<typeof parseIocFilter>[0], Plan, number, string, string | undefined]> = [
    ['unknown type', { type: 'ipv4,bogus' }, pro, 400, 'invalid_parameter', 'type'],
    ['unknown industry', { industry: 'space' }, pro, 400, 'invalid_parameter', 'industry'],
    ['bad date', { since: 'yesterday' }, pro, 400, 'invalid_parameter', 'since'],
    ['limit over the plan', { limit: 101 }, free, 400, 'limit_exceeded', 'limit'],
    ['since before lookback', { since: '2026-03-01' }, free, 403, 'lookback_exceeded', 'since'],
    ['bad cursor', { cursor: 'nope' }, pro, 400, 'invalid_cursor', 'cursor'],
    ['cursor with offset', { cursor: encodeCursor(1), offset: 5 }, pro, 400, 'invalid_parameter', 'offset'],
  ];
  it.each(cases)('%s → %d %s', (_label, input, plan, status, code, parameter) => {
    const e = error(() => parseIocFilter(input, plan, now));
    expect(e.status).toBe(status);
    expect(e.code).toBe(code);
    expect((e.details as Record<string, unknown>).parameter).toBe(parameter);
  });

  it('names the plan in limit and lookback errors', () => {
    expect(error(() => parseIocFilter({ limit: 1000 }, free, now)).message).toMatch(/free plan's 100/);
    expect(error(() => parseIocFilter({ since: '2020-01-01' }, free, now)).message).toMatch(/free plan's lookback of 1 day/);
  });
});
