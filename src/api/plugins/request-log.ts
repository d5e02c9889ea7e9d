/**
 * Per-request usage log (request_log) and keys' `last_used_at`, written in batches about once a
 * second rather than once per request, so logging never sits on the hot path. Also prunes
 * minute counters that can never be read again. Flushed on close.
 */
import type { FastifyInstance } from 'fastify';
import type { RequestLogEntry } from '../../store/usage-repository.js';

const FLUSH_MS = 1000;
const MAX_BUFFER = 5000;
const PRUNE_MS = 3_600_000;

/** Root-level timer and close hook; returns the hook to add to each authenticated context. */
export function installRequestLog(app: FastifyInstance): (ctx: FastifyInstance) => void {
  let buffer: RequestLogEntry[] = [];
  let flushing: Promise<void> | null = null;
  let lastPrune = 0;

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
          await app.usage.pruneCounters(new Date(now - 2 * 86_400_000).toISOString());
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
    ctx.addHook('onResponse', async (request, reply) => {
      const key = request.apiKey;
      if (!key) return;
      buffer.push({
        key_id: key.id,
        ts: new Date().toISOString(),
        method: request.method,
        path: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
        status: reply.statusCode,
        latency_ms: Math.round(reply.elapsedTime * 1000) / 1000,
      });
      if (buffer.length >= MAX_BUFFER) void flush();
    });
  };
}
