/**
 * The delivery engine alone (push/delivery.ts) with a scripted sink and checkpoint store: the
 * checkpoint only ever names a prefix of versions that were all delivered, even when batches
 * finish out of order; a slow database cannot let delivery run more than max_in_flight batches
 * ahead of the durable checkpoint; an interrupt lets requests in flight finish.
 */
import { describe, expect, it } from 'vitest';
import { deliver, type DeliveryOptions } from '../../src/push/delivery.js';
import type { PushRow, PushSink, SendOutcome } from '../../src/push/sink.js';

function rows(n: number): PushRow[] {
  return Array.from({ length: n }, (_, i) => ({ version: i + 1, updated_at: '2026-11-20T10:00:00.000000Z', doc: Buffer.from(`{"id":"ioc-${i + 1}"}`) }));
}

async function* pages(all: PushRow[], size = 50): AsyncGenerator<PushRow[]> {
  for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sink(send: (rows: readonly PushRow[]) => Promise<SendOutcome>): PushSink {
  return { size: (r) => r.doc.length, send: (r) => send(r), acks: null, close: () => undefined };
}

function options(o: Partial<DeliveryOptions> & Pick<DeliveryOptions, 'sink' | 'pages' | 'save'>): DeliveryOptions {
  return {
    startCheckpoint: 0,
    batch: { maxEvents: 10, maxBytes: 1_000_000 },
    maxInFlight: 4,
    retry: { maxAttempts: 5, baseMs: 1, maxMs: 5 },
    signal: new AbortController().signal,
    ...o,
  };
}

describe('delivery engine', () => {
  it('checkpoints only prefixes of delivered versions when batches finish out of order', async () => {
    const all = rows(500);
    const delivered = new Set<number>();
    const saved: number[] = [];
    let seed = 3;
    const result = await deliver(
      options({
        pages: pages(all),
        sink: sink(async (batch) => {
          seed = (seed * 48271) % 2147483647;
          await wait(seed % 15);
          for (const r of batch) delivered.add(r.version);
          return { kind: 'delivered' };
        }),
        save: async (checkpoint) => {
          for (let v = 1; v <= checkpoint; v++) expect(delivered.has(v)).toBe(true);
          saved.push(checkpoint);
          return true;
        },
      }),
    );
    expect(result).toMatchObject({ status: 'ok', delivered: 500, checkpoint: 500, batches: 50 });
    expect(saved).toEqual([...saved].sort((a, b) => a - b));
    expect(saved.at(-1)).toBe(500);
  });

  it('keeps delivery within max_in_flight batches of the durable checkpoint when the database is slow', async () => {
    const all = rows(400);
    let durable = 0;
    let maxAhead = 0;
    const result = await deliver(
      options({
        maxInFlight: 2,
        pages: pages(all),
        sink: sink(async (batch) => {
          const last = batch[batch.length - 1]?.version ?? 0;
          maxAhead = Math.max(maxAhead, last - durable);
          return { kind: 'delivered' };
        }),
        save: async (checkpoint) => {
          await wait(25);
          durable = checkpoint;
          return true;
        },
      }),
    );
    expect(result.status).toBe('ok');
    // A batch being sent ends at most (2 in flight + 2 committed, not yet durable) batches of 10 ahead.
    expect(maxAhead).toBeLessThanOrEqual(4 * 10);
  });

  it('on an interrupt, lets requests in flight finish and checkpoints them', async () => {
    const all = rows(300);
    const interrupt = new AbortController();
    let sent = 0;
    let saved = 0;
    const result = await deliver(
      options({
        signal: interrupt.signal,
        pages: pages(all),
        sink: sink(async () => {
          sent++;
          if (sent === 5) interrupt.abort();
          await wait(20);
          return { kind: 'delivered' };
        }),
        save: async (checkpoint) => {
          saved = checkpoint;
          return true;
        },
      }),
    );
    expect(result.status).toBe('interrupted');
    expect(result.delivered).toBe(sent * 10);
    expect(saved).toBe(sent * 10);
  });

  it('stops at once on a fatal answer, cutting other requests short, and keeps the checkpoint on what was delivered', async () => {
    const all = rows(200);
    let n = 0;
    const cut: boolean[] = [];
    const result = await deliver(
      options({
        pages: pages(all),
        sink: {
          size: (r) => r.doc.length,
          acks: null,
          close: () => undefined,
          send: async (_batch, signal) => {
            n++;
            if (n === 3) return { kind: 'fatal', code: 'hec_invalid_token', reason: 'HTTP 403: Invalid token (code 4)' };
            await wait(n < 3 ? 1 : 50);
            cut.push(signal.aborted);
            return { kind: 'delivered' };
          },
        },
        save: async () => true,
      }),
    );
    expect(result.status).toBe('error');
    expect(result.error).toEqual({ code: 'hec_invalid_token', message: 'HTTP 403: Invalid token (code 4)' });
    expect(result.checkpoint).toBe(20);
    expect(cut.slice(2).every(Boolean)).toBe(true);
  });
});
