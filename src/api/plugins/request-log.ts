/**
 * Per-request usage log (request_log) and keys' `last_used_at`, written in batches about once a
 * second rather than once per request, so logging never sits on the hot path. Also prunes
 * minute counters that can never be read again, and log rows older than any usage view reads
 * (MAX_USAGE_DAYS and a day), which would otherwise grow the table by every request forever.
 * Flushed on close.
 */
import type { FastifyInstance } from 'fastify';
import type { RequestLogEntry } from '../../store/usage-repository.js';
import { MAX_USAGE_DAYS } from '../schemas/usage.js';

const FLUSH_MS = 1000;
const MAX_BUFFER = 5000;
const PRUNE_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Log rows kept: the longest usage window (dashboard and GET /usage) plus a day. */
export const REQUEST_LOG_RETENTION_MS = (MAX_USAGE_DAYS + 1) * DAY_MS;
/**
 * Once a minute, at most this many of the oldest log rows are examined and the expired ones
 * deleted: a bounded cost per call that still removes 28.8M rows a day, more than the pro plan's
 * 1M requests a day per key times a few dozen keys.
 */
const LOG_PRUNE_MS = 60_000;
const LOG_PRUNE_ROWS = 20_000;

/** Root-level timer and close hook; returns the hook to add to each authenticated context. */
export function installRequestLog(app: FastifyInstance): (ctx: FastifyInstance) => void {
  let buffer: RequestLogEntry[] = [];
  let flushing: Promise<void> | null = null;
  let lastPrune = 0;
  let lastLogPrune = 0;

  async function flush(): Promise<void> {
    if (flushing) await flushing;
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    const lastUsed = new Map<string, string>();
    for (const e of batch) {
      const prev = lastUsed.get(e.key_id);
      if (!prev || prev < e.ts) lastUsed.set(e.key_id, e.ts);
    }
    flushing = (async () => {
      try {
        await app.usage.logRequests(batch);
        await app.apiKeys.touchLastUsed(lastUsed);
        const now = Date.now();
        if (now - lastPrune > PRUNE_MS) {
          lastPrune = now;
          await app.usage.pruneCounters(new Date(now - 2 * DAY_MS).toISOString());
        }
        if (now - lastLogPrune > LOG_PRUNE_MS) {
          lastLogPrune = now;
          await app.usage.pruneRequestLog(new Date(now - REQUEST_LOG_RETENTION_MS).toISOString(), LOG_PRUNE_ROWS);
        }
      } catch (err) {
        app.log.warn({ err }, 'could not write the request log');
      } finally {
        flushing = null;
      }
    })();
    await flushing;
  }

  const timer = setInterval(() => void flush(), FLUSH_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await flush();
  });

  return (ctx) => {
    // A callback hook: no promise per request for what is a push onto an array.
    ctx.addHook('onResponse', (request, reply, done) => {
      const key = request.apiKey;
      if (!key) {
        done();
        return;
      }
      buffer.push({
        key_id: key.id,
        ts: new Date().toISOString(),
        method: request.method,
        path: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
        status: reply.statusCode,
        latency_ms: Math.round(reply.elapsedTime * 1000) / 1000,
      });
      if (buffer.length >= MAX_BUFFER) void flush();
      done();
    });
  };
}
