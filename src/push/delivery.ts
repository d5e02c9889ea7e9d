/**
 * The delivery engine every destination shares. It cuts the IOC versions after the checkpoint
 * into batches (by count and by bytes), sends up to `maxInFlight` batches at once, retries each
 * with exponential backoff and jitter, splits a batch the receiver finds too large, skips (and
 * logs) an event the receiver refuses, waits for indexer acknowledgement where there is one, and
 * moves the durable checkpoint.
 *
 * The checkpoint rule that makes a crash or restart safe: batches are numbered in version
 * order, and the checkpoint moves to the last version of batch N only once batches 0..N are all
 * delivered (acknowledged, with ack on). A restart resends what lies after the checkpoint, so
 * nothing is lost; a batch is sent again only if its answer (or ack) never came back or its
 * checkpoint write had not landed, which bounds duplicates to the batches in flight at a crash
 * plus at most max_in_flight committed ones (delivery waits for a slow database rather than run
 * further ahead): HEC's own at-least-once guarantee.
 */
import { AckTracker } from './ack-tracker.js';
import { backoffDelay, InterruptedError, sleep } from './backoff.js';
import type { BatchLimits, RetryPolicy } from './config.js';
import type { DeliveryCounters } from './destinations-repository.js';
import { PUSH_ERROR_CODES, PushRunError } from './errors.js';
import { rowId, type PushRow, type PushSink, type SendOutcome } from './sink.js';

export interface DeliveryProgress extends DeliveryCounters {
  checkpoint: number;
  requests: number;
}

export interface DeliveryOptions {
  sink: PushSink;
  /** Pages of stored versions after `startCheckpoint`, ascending. */
  pages: AsyncIterable<readonly PushRow[]>;
  startCheckpoint: number;
  batch: BatchLimits;
  maxInFlight: number;
  retry: RetryPolicy;
  /** Durably stores a checkpoint with the counters since the last save; false when the lease is lost. */
  save(checkpoint: number, counters: DeliveryCounters): Promise<boolean>;
  /** A version the destination refused: it is skipped (after this is called) and the run goes on. */
  onSkip?(row: PushRow, reason: string): Promise<void> | void;
  log?(line: string): void;
  onProgress?(p: DeliveryProgress): void;
  signal: AbortSignal;
  random?: () => number;
}

export interface DeliveryResult extends DeliveryProgress {
  status: 'ok' | 'error' | 'interrupted';
  error: { code: string; message: string } | null;
  batches: number;
}

/** A counting semaphore: `acquire` waits for a free permit. */
class Permits {
  #free: number;
  readonly #queue: Array<() => void> = [];
  constructor(n: number) {
    this.#free = n;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--;
      return;
    }
    await new Promise<void>((resolve) => this.#queue.push(resolve));
  }
  release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#free++;
  }
}

function zero(): DeliveryCounters {
  return { delivered: 0, skipped: 0, resent: 0, retries: 0 };
}

function range(rows: readonly PushRow[]): string {
  const first = rows[0]?.version;
  const last = rows[rows.length - 1]?.version;
  return first === last ? `version ${first}` : `versions ${first}-${last}`;
}

export async function deliver(opts: DeliveryOptions): Promise<DeliveryResult> {
  const { sink, retry } = opts;
  const log = opts.log ?? (() => undefined);
  const random = opts.random ?? Math.random;
  const stop = new AbortController();
  const signal = AbortSignal.any([opts.signal, stop.signal]);
  const totals = zero();
  let unsaved = zero();
  let requests = 0;
  let batches = 0;
  let checkpoint = opts.startCheckpoint;
  let failure: PushRunError | InterruptedError | null = null;
  const acks = sink.acks ? new AckTracker(sink.acks, signal, log) : null;
  const sends = new Permits(opts.maxInFlight);
  // With ack, a batch waiting for its ack no longer holds a send: more batches may wait than send.
  const slots = new Permits(acks ? opts.maxInFlight * 8 : opts.maxInFlight);

  const count = (field: keyof DeliveryCounters, n: number): void => {
    totals[field] += n;
    unsaved[field] += n;
  };

  const fail = (err: unknown): void => {
    if (failure) return;
    failure =
      err instanceof PushRunError || err instanceof InterruptedError
        ? err
        : new PushRunError(PUSH_ERROR_CODES.internal, err instanceof Error ? err.message : String(err));
    // A failure cuts requests in flight short; an interrupt lets them finish (see sendWithRetry).
    if (!(failure instanceof InterruptedError)) stop.abort();
  };

  // Checkpoint writes: one at a time, each writing the newest checkpoint (coalesced).
  let dirty = false;
  let writer: Promise<void> | null = null;
  // Batches committed in memory (nextToCommit) and durably (durable): see `launch`.
  let durable = 0;
  const persist = (): void => {
    dirty = true;
    writer ??= (async () => {
      try {
        while (dirty) {
          dirty = false;
          const counters = unsaved;
          unsaved = zero();
          const upTo = nextToCommit;
          const ok = await opts.save(checkpoint, counters);
          if (!ok) throw new PushRunError(PUSH_ERROR_CODES.leaseLost, 'another process took over this destination (its lease expired); stopping');
          durable = upTo;
        }
      } catch (err) {
        fail(err);
      } finally {
        writer = null;
      }
    })();
  };

  // Batches finished out of order wait here until every earlier batch is finished too.
  const finished = new Map<number, number>();
  let nextToCommit = 0;
  const commit = (seq: number, lastVersion: number): void => {
    finished.set(seq, lastVersion);
    let moved = false;
    while (finished.has(nextToCommit)) {
      checkpoint = finished.get(nextToCommit) as number;
      finished.delete(nextToCommit);
      nextToCommit++;
      moved = true;
    }
    if (moved) {
      persist();
      opts.onProgress?.({ ...totals, checkpoint, requests });
    }
  };

  const sendWithRetry = async (part: readonly PushRow[]): Promise<Exclude<SendOutcome, { kind: 'retry' | 'fatal' }>> => {
    for (let attempt = 1; ; attempt++) {
      await sends.acquire();
      if (signal.aborted) {
        sends.release();
        throw failure ?? new InterruptedError();
      }
      let outcome: SendOutcome;
      try {
        requests++;
        // Only a failure of the run cuts a request short; on an interrupt (Ctrl-C, shutdown) the
        // requests already sent finish, so their batches are checkpointed instead of resent.
        outcome = await sink.send(part, stop.signal);
      } finally {
        sends.release();
      }
      if (outcome.kind === 'fatal') throw new PushRunError(outcome.code, outcome.reason);
      // An answer that came back is used even when the run is stopping: its checkpoint still moves.
      if (outcome.kind !== 'retry') return outcome;
      if (signal.aborted) throw failure ?? new InterruptedError();
      count('retries', 1);
      if (outcome.ambiguous) count('resent', part.length);
      if (attempt >= retry.maxAttempts) {
        throw new PushRunError(
          PUSH_ERROR_CODES.retriesExhausted,
          `${outcome.reason}; gave up on ${range(part)} after ${attempt} attempts (the next run resumes from the checkpoint)`,
        );
      }
      const delay = backoffDelay(attempt, retry, random, outcome.retryAfterMs);
      log(`${range(part)}: ${outcome.reason}; retry ${attempt} in ${delay} ms`);
      await sleep(delay, signal);
    }
  };

  const skip = async (row: PushRow, reason: string): Promise<void> => {
    count('skipped', 1);
    log(`skipped IOC ${rowId(row)} (version ${row.version}): ${reason}`);
    await opts.onSkip?.(row, reason);
  };

  const runBatch = async (seq: number, rows: readonly PushRow[]): Promise<void> => {
    const queue: Array<readonly PushRow[]> = [rows];
    while (queue.length > 0) {
      const part = queue.shift() as readonly PushRow[];
      const outcome = await sendWithRetry(part);
      switch (outcome.kind) {
        case 'delivered':
          count('delivered', part.length);
          break;
        case 'accepted':
          if (!acks) count('delivered', part.length);
          else if ((await acks.wait(outcome.ackId)) === 'acked') count('delivered', part.length);
          else {
            count('resent', part.length);
            queue.unshift(part);
          }
          break;
        case 'rejected_item': {
          const bad = part[outcome.index];
          if (!bad) throw new PushRunError(PUSH_ERROR_CODES.protocol, `the destination named event ${outcome.index} of a ${part.length}-event request as bad: ${outcome.reason}`);
          count('delivered', outcome.index);
          await skip(bad, outcome.reason);
          const rest = part.slice(outcome.index + 1);
          if (rest.length > 0) queue.unshift(rest);
          break;
        }
        case 'too_large': {
          if (part.length === 1) {
            await skip(part[0] as PushRow, `too large for the destination: ${outcome.reason}`);
            break;
          }
          const half = Math.ceil(part.length / 2);
          log(`${range(part)}: ${outcome.reason}; splitting ${part.length} events in two`);
          queue.unshift(part.slice(0, half), part.slice(half));
          break;
        }
      }
    }
    commit(seq, rows[rows.length - 1]?.version ?? checkpoint);
  };

  const running = new Set<Promise<void>>();
  const launch = async (rows: readonly PushRow[]): Promise<void> => {
    // A slow database must not let delivery run far ahead of the durable checkpoint: a crash
    // would resend everything in between. Keep it within max_in_flight batches.
    while (writer && nextToCommit - durable >= opts.maxInFlight) await writer;
    await slots.acquire();
    if (failure) {
      slots.release();
      return;
    }
    const seq = batches++;
    const p = runBatch(seq, rows)
      .catch(fail)
      .finally(() => {
        slots.release();
        running.delete(p);
      });
    running.add(p);
  };

  try {
    let current: PushRow[] = [];
    let bytes = 0;
    outer: for await (const page of opts.pages) {
      for (const row of page) {
        if (failure || signal.aborted) break outer;
        const size = sink.size(row);
        if (current.length > 0 && (current.length >= opts.batch.maxEvents || bytes + size > opts.batch.maxBytes)) {
          await launch(current);
          current = [];
          bytes = 0;
        }
        current.push(row);
        bytes += size;
      }
    }
    if (current.length > 0 && !failure && !signal.aborted) await launch(current);
  } catch (err) {
    fail(err);
  }
  while (running.size > 0) await Promise.allSettled([...running]);
  if (!failure && opts.signal.aborted) failure = new InterruptedError();
  // Counters of the last batches, and any checkpoint write still queued.
  if (writer) await writer;
  if (unsaved.delivered + unsaved.skipped + unsaved.resent + unsaved.retries > 0) {
    try {
      await opts.save(checkpoint, unsaved);
      unsaved = zero();
    } catch (err) {
      fail(err);
    }
  }
  const end = failure as PushRunError | InterruptedError | null;
  return {
    ...totals,
    checkpoint,
    requests,
    batches,
    status: end === null ? 'ok' : end instanceof InterruptedError ? 'interrupted' : 'error',
    error: end === null ? null : { code: end.code, message: end.message },
  };
}
