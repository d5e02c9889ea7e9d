import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/errors.js';
import { addDays, formatMicros, parseStoredMicros, toStoredMillis, toStoredTimestamp } from '../../src/store/timestamps.js';

describe('toStoredTimestamp', () => {
  const cases: Array<[string, string]> = [
    ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000000Z'],
    ['2026-01-02T03:04:05.1Z', '2026-01-02T03:04:05.100000Z'],
    ['2026-01-02T03:04:05.123456Z', '2026-01-02T03:04:05.123456Z'],
    ['2026-01-02T03:04:05.1234567Z', '2026-01-02T03:04:05.123456Z'],
    ['2026-01-02T03:04:05.123+02:00', '2026-01-02T01:04:05.123000Z'],
    ['2026-01-02T03:04:05-0130', '2026-01-02T04:34:05.000000Z'],
    ['2026-01-02T03:04:05.000001+00', '2026-01-02T03:04:05.000001Z'],
    ['2026-01-02', '2026-01-02T00:00:00.000000Z'],
    ['2026-01-02 03:04', '2026-01-02T03:04:00.000000Z'],
  ];
  it.each(cases)('%s → %s', (input, stored) => {
    expect(toStoredTimestamp(input)).toBe(stored);
  });

  it.each(['', 'yesterday', '2026-13-45T00:00:00Z', '2026-01-02T03:04:05Zjunk', '1700000000'])('rejects %j with a coded error', (input) => {
    expect(() => toStoredTimestamp(input)).toThrow(StoreError);
    try {
      toStoredTimestamp(input);
    } catch (e) {
      expect((e as StoreError).code).toBe('invalid_timestamp');
    }
  });
});

describe('microsecond stamps', () => {
  it.each([0, 1, 999, 1_000, 1_767_225_600_123_456])('round-trips %d', (micros) => {
    const s = formatMicros(micros);
    expect(s).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(parseStoredMicros(s)).toBe(micros);
  });

  it('sorts as strings in time order', () => {
    const stamps = [1_767_225_600_000_999, 1_767_225_600_001_000, 1_767_225_601_000_000].map(formatMicros);
    expect([...stamps].sort()).toEqual(stamps);
  });
});

describe('toStoredMillis', () => {
  const cases: Array<[string, string]> = [
    ['2026-01-02T03:04:05.678Z', '2026-01-02T03:04:05.678Z'],
    ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000Z'],
    ['2026-01-02', '2026-01-02T00:00:00.000Z'],
    ['2026-01-02T05:04:05+02:00', '2026-01-02T03:04:05.000Z'],
    ['not a date', 'FALLBACK'],
  ];
  it.each(cases)('%s → %s', (input, expected) => {
    expect(toStoredMillis(input, 'FALLBACK')).toBe(expected);
  });

  it('adds days', () => {
    expect(addDays('2026-01-30T12:00:00.000Z', 3)).toBe('2026-02-02T12:00:00.000Z');
  });
});
