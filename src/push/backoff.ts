/**
 * Retry timing: exponential backoff with full jitter (a delay drawn uniformly from 0 to
 * min(max, base * 2^(attempt-1))), so many senders retrying after one outage spread out instead
 * of hitting the receiver together; a server's Retry-After is a floor.
 */
import type { RetryPolicy } from './config.js';

/**
 * Delay before retry number `attempt` (1 for the first retry).
 *
 * @example backoffDelay(3, { maxAttempts: 10, baseMs: 500, maxMs: 30_000 }, Math.random) // 0..2000 ms
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number, retryAfterMs = 0): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** A Retry-After longer than this is not waited for in full (a misconfigured server). */
export const MAX_RETRY_AFTER_MS = 600_000;

/** Retry-After as milliseconds: delta seconds or an HTTP date; 0 when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return 0;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

export class InterruptedError extends Error {
  readonly code = 'interrupted';
  constructor() {
    super('interrupted');
    this.name = 'InterruptedError';
  }
}

/** Waits `ms`, or rejects with InterruptedError as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
