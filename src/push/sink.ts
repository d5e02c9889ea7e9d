/**
 * What the delivery engine (delivery.ts) needs of a destination: render one stored IOC version
 * as an item of its format, send a list of items once and say what happened, and, for
 * destinations with indexer acknowledgement, confirm accepted requests later. Retries, backoff,
 * splitting, checkpoints and ordering are the engine's, the same for every destination.
 */

/** A stored IOC version as the store pages it. */
export interface PushRow {
  version: number;
  updated_at: string;
  doc: string;
}

/** One rendered IOC version, ready to be concatenated into a request. */
export interface PushItem {
  version: number;
  text: string;
}

/** What one send of a list of items came to. */
export type SendOutcome =
  /** Accepted; as durable as this destination can say. */
  | { kind: 'delivered' }
  /** Accepted, durable once `ackId` is acknowledged (poll with `PushAcks`). */
  | { kind: 'accepted'; ackId: number }
  /** Items before `index` were accepted; item `index` was refused (logged and skipped); the rest were not read. */
  | { kind: 'rejected_item'; index: number; reason: string }
  /** The request was too large: send the items in smaller requests. */
  | { kind: 'too_large'; reason: string }
  /** Not accepted now, worth retrying. `ambiguous`: the request may have been processed (a resend may duplicate it). */
  | { kind: 'retry'; reason: string; retryAfterMs: number; ambiguous: boolean }
  /** Will not work without a person (bad token, wrong URL): stop the run and report. */
  | { kind: 'fatal'; code: string; reason: string };

export type AckPollOutcome =
  | { kind: 'ok'; acked: ReadonlySet<number> }
  /** The channel no longer exists on the server (a restart): every pending ack is lost. */
  | { kind: 'channel_lost'; reason: string }
  | { kind: 'retry'; reason: string }
  | { kind: 'fatal'; code: string; reason: string };

export interface PushAcks {
  pollMs: number;
  /** An ack not confirmed within this time is lost: its items are sent again. */
  timeoutMs: number;
  poll(ackIds: readonly number[], signal: AbortSignal): Promise<AckPollOutcome>;
}

export interface PushSink {
  /** Render one stored version (pure). */
  render(row: PushRow): PushItem;
  send(items: readonly PushItem[], signal: AbortSignal): Promise<SendOutcome>;
  /** Present when the destination confirms durability after accepting (Splunk indexer ack). */
  acks: PushAcks | null;
  close(): void;
}

/**
 * The IOC id inside a rendered item (a document, or an envelope around one), for log lines: the
 * first `"id":"` key, which cannot occur inside a JSON string (quotes there are escaped), and
 * envelopes have no `id` key of their own. Only called when an item is skipped.
 */
export function itemId(item: PushItem): string {
  const m = /"id":"([^"]*)"/.exec(item.text);
  return m?.[1] ?? '';
}
