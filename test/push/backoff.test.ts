/** Backoff with full jitter, Retry-After, and interruptible sleeps (push/backoff.ts). */
import { describe, expect, it } from 'vitest';
import { backoffDelay, InterruptedError, retryAfterMs, sleep } from '../../src/push/backoff.js';

const POLICY = { maxAttempts: 10, baseMs: 500, maxMs: 30_000 };

describe('backoff', () => {
  it.each([
    [1, 500],
    [2, 1000],
    [3, 2000],
    [6, 16_000],
    [7, 30_000],
    [20, 30_000],
  ])('attempt %i waits less than %i ms (full jitter up to the ceiling)', (attempt, ceiling) => {
    expect(backoffDelay(attempt, POLICY, () => 0)).toBe(0);
    expect(backoffDelay(attempt, POLICY, () => 0.999999)).toBe(ceiling - 1);
    expect(backoffDelay(attempt, POLICY, () => 0.5)).toBe(Math.floor(ceiling / 2));
  });

  it('waits at least what Retry-After asks, up to ten minutes', () => {
    expect(backoffDelay(1, POLICY, () => 0, 5000)).toBe(5000);
    expect(backoffDelay(1, POLICY, () => 0, 3_600_000)).toBe(600_000);
  });

  it.each([
    ['3', 3000],
    [' 120 ', 120_000],
    [undefined, 0],
    ['', 0],
    ['soon', 0],
    ['Thu, 01 Jan 1970 00:00:10 GMT', 5000],
  ])('Retry-After %j → %i ms', (header, ms) => {
    expect(retryAfterMs(header, 5000)).toBe(ms);
  });

  it('sleep ends early with InterruptedError when aborted', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const p = sleep(10_000, ac.signal);
    setTimeout(() => ac.abort(), 20);
    await expect(p).rejects.toBeInstanceOf(InterruptedError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
