/**
 * Splunk indexer acknowledgement, for the delivery engine: requests accepted with an ackId wait
 * here; one poll of `/services/collector/ack` every `pollMs` asks about all of them at once. An
 * ack confirmed resolves `acked`; one still unconfirmed after `timeoutMs`, or whose channel the
 * server no longer knows, resolves `lost` and its events are sent again: the only place where
 * HEC's at-least-once delivery can make a duplicate that we do not cause ourselves.
 */
import { InterruptedError, sleep } from './backoff.js';
import { PushRunError } from './errors.js';
import type { PushAcks } from './sink.js';

export type AckResult = 'acked' | 'lost';

interface Waiter {
  deadline: number;
  resolve(r: AckResult): void;
  reject(err: Error): void;
}

export class AckTracker {
  readonly #acks: PushAcks;
  readonly #signal: AbortSignal;
  readonly #log: (line: string) => void;
  readonly #waiting = new Map<number, Waiter>();
  #loop: Promise<void> | null = null;

  constructor(acks: PushAcks, signal: AbortSignal, log: (line: string) => void) {
    this.#acks = acks;
    this.#signal = signal;
    this.#log = log;
  }

  /** Resolves once `ackId` is confirmed (`acked`) or given up on (`lost`). */
  wait(ackId: number): Promise<AckResult> {
    // A restarted HEC numbers a re-created channel from 0 again: an id handed out twice no longer
    // says anything about the earlier request, which is then as good as lost.
    if (this.#waiting.has(ackId)) {
      this.#log(`ackId ${ackId} was handed out again (HEC restarted?): the earlier request will be sent again`);
      this.#settle([ackId], 'lost');
    }
    return new Promise<AckResult>((resolve, reject) => {
      this.#waiting.set(ackId, { deadline: Date.now() + this.#acks.timeoutMs, resolve, reject });
      this.#loop ??= this.#run();
    });
  }

  #settle(ids: Iterable<number>, result: AckResult): void {
    for (const id of [...ids]) {
      const w = this.#waiting.get(id);
      if (!w) continue;
      this.#waiting.delete(id);
      w.resolve(result);
    }
  }

  #failAll(err: Error): void {
    const waiters = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const w of waiters) w.reject(err);
  }

  async #run(): Promise<void> {
    try {
      while (this.#waiting.size > 0) {
        await sleep(this.#acks.pollMs, this.#signal);
        const ids = [...this.#waiting.keys()];
        if (ids.length === 0) continue;
        const r = await this.#acks.poll(ids, this.#signal);
        if (this.#signal.aborted) throw new InterruptedError();
        if (r.kind === 'ok') this.#settle(r.acked, 'acked');
        else if (r.kind === 'channel_lost') {
          this.#log(`ack channel lost (${r.reason}): ${ids.length} request(s) will be sent again`);
          this.#settle(ids, 'lost');
        } else if (r.kind === 'fatal') throw new PushRunError(r.code, r.reason);
        else this.#log(`ack poll failed (${r.reason}); polling again`);
        const now = Date.now();
        const expired = [...this.#waiting.entries()].filter(([, w]) => w.deadline <= now).map(([id]) => id);
        if (expired.length > 0) {
          this.#log(`no indexer acknowledgement for ackId ${expired.join(', ')} within ${this.#acks.timeoutMs} ms: sending those events again`);
          this.#settle(expired, 'lost');
        }
      }
      // Same synchronous step as the loop's last check: a later wait() starts a new loop.
      this.#loop = null;
    } catch (err) {
      this.#loop = null;
      this.#failAll(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
