/**
 * One push run of one destination: take the destination's lease, read the versions after its
 * checkpoint, deliver them (delivery.ts) through the destination's sink, record the outcome.
 * `socd push splunk|webhook|syslog` runs it once; `socd serve` runs it on each destination's schedule.
 */
import type { PushDestination } from './config.js';
import { deliver, type DeliveryProgress, type DeliveryResult } from './delivery.js';
import { DestinationsRepository, leaseOwnerId } from './destinations-repository.js';
import { PUSH_ERROR_CODES } from './errors.js';
import { HttpPoster } from './http-post.js';
import { rowId, type PushSink } from './sink.js';
import { headVersion, versionsAfter } from './source.js';
import { createHecSink } from './splunk-hec.js';
import { createSyslogSink } from './syslog-sink.js';
import { createWebhookSink } from './webhook.js';
import type { Store } from '../store/store.js';

export const LEASE_TTL_MS = 30_000;

export interface PushRunOptions {
  signal?: AbortSignal;
  log?: (line: string) => void;
  onProgress?: (p: DeliveryProgress & { head: number; startCheckpoint: number }) => void;
  leaseTtlMs?: number;
  /** Rows per store read (tests use small pages). */
  pageRows?: number;
  random?: () => number;
}

export interface PushRunResult extends Omit<DeliveryResult, 'status'> {
  destination: string;
  type: PushDestination['type'];
  /** `busy`: another live process holds this destination's lease; nothing was done. */
  status: DeliveryResult['status'] | 'busy';
  startCheckpoint: number;
  /** The last store version when the run started: the run delivers up to it. */
  head: number;
  seconds: number;
}

/** The sink of a destination over a fresh HTTP client (or, for syslog, fresh sockets). */
export function createSink(dest: PushDestination, log?: (line: string) => void): PushSink {
  if (dest.type === 'syslog') return createSyslogSink(dest, log);
  const http = new HttpPoster({ tlsVerify: dest.tls.verify, caFile: dest.tls.caFile, maxSockets: dest.maxInFlight + 1 });
  return dest.type === 'splunk-hec' ? createHecSink(dest, http) : createWebhookSink(dest, http);
}

function emptyResult(dest: PushDestination, status: PushRunResult['status'], error: PushRunResult['error'], checkpoint: number, head: number): PushRunResult {
  return {
    destination: dest.name,
    type: dest.type,
    status,
    error,
    startCheckpoint: checkpoint,
    checkpoint,
    head,
    delivered: 0,
    skipped: 0,
    resent: 0,
    retries: 0,
    requests: 0,
    batches: 0,
    seconds: 0,
  };
}

/**
 * Delivers every version after the destination's checkpoint (up to the store's current last
 * version) and records the run. Never throws for delivery problems: they are in the result.
 *
 * @example
 * const result = await runPush(store, config.destinations[0], { log: console.error });
 * if (result.status !== 'ok') console.error(result.error?.message);
 */
export async function runPush(store: Store, dest: PushDestination, opts: PushRunOptions = {}): Promise<PushRunResult> {
  const started = performance.now();
  const repo = new DestinationsRepository(store);
  const ttl = opts.leaseTtlMs ?? LEASE_TTL_MS;
  const head = await headVersion(store);
  const state = await repo.ensure(dest.name, dest.type, dest.start === 'now' ? head : 0);
  if (dest.unavailable !== null) {
    const message = `${dest.name} cannot run: ${dest.unavailable}`;
    await repo.recordRunEnd(dest.name, 'error', `${PUSH_ERROR_CODES.unavailable}: ${message}`, new Date());
    return emptyResult(dest, 'error', { code: PUSH_ERROR_CODES.unavailable, message }, state.checkpoint, head);
  }
  const owner = leaseOwnerId();
  if (!(await repo.acquireLease(dest.name, owner, new Date(), ttl))) {
    return emptyResult(dest, 'busy', { code: PUSH_ERROR_CODES.busy, message: `${dest.name} is being pushed by another process` }, state.checkpoint, head);
  }
  const startCheckpoint = (await repo.get(dest.name))?.checkpoint ?? state.checkpoint;
  await repo.recordRunStart(dest.name, new Date());

  const leaseLost = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, leaseLost.signal]) : leaseLost.signal;
  const renew = setInterval(() => {
    repo
      .renewLease(dest.name, owner, new Date(), ttl)
      .then((ok) => {
        if (!ok) leaseLost.abort();
      })
      .catch(() => undefined);
  }, Math.max(50, Math.floor(ttl / 3)));
  renew.unref();

  const sink = createSink(dest, opts.log);
  let result: DeliveryResult;
  try {
    result = await deliver({
      sink,
      pages: versionsAfter(store, dest.filter, startCheckpoint, head, opts.pageRows),
      startCheckpoint,
      batch: dest.batch,
      maxInFlight: dest.maxInFlight,
      retry: dest.retry,
      save: (checkpoint, counters) => repo.saveCheckpoint(dest.name, owner, checkpoint, counters, new Date(), ttl),
      onSkip: (row, reason) => repo.recordSkip(dest.name, `${new Date().toISOString()} IOC ${rowId(row)} (version ${row.version}): ${reason}`),
      signal,
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.onProgress ? { onProgress: (p: DeliveryProgress) => opts.onProgress?.({ ...p, head, startCheckpoint }) } : {}),
      ...(opts.random ? { random: opts.random } : {}),
    });
  } finally {
    clearInterval(renew);
    sink.close();
  }
  if (leaseLost.signal.aborted && result.status !== 'ok') {
    result = { ...result, status: 'error', error: { code: PUSH_ERROR_CODES.leaseLost, message: 'another process took over this destination (its lease expired)' } };
  }
  await repo.recordRunEnd(dest.name, result.status, result.error ? `${result.error.code}: ${result.error.message}` : null, new Date());
  await repo.releaseLease(dest.name, owner);
  return {
    ...result,
    destination: dest.name,
    type: dest.type,
    startCheckpoint,
    head,
    seconds: (performance.now() - started) / 1000,
  };
}
