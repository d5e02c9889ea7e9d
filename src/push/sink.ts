/**
 * What the delivery engine (delivery.ts) needs of a destination: the size a stored IOC version
 * adds to a request, sending a list of versions once in its format and saying what happened, and, for
 * destinations with indexer acknowledgement, confirm accepted requests later. Retries, backoff,
 * splitting, checkpoints and ordering are the engine's, the same for every destination.
 */

/** A stored IOC version as a push reads it: the document as UTF-8 bytes, never decoded. */
export interface PushRow {
  version: number;
  updated_at: string;
  doc: Buffer;
}

/** What one send of a list of rows came to. */
export type SendOutcome =
  /** Accepted; as durable as this destination can say. */
  | { kind: 'delivered' }
  /** Accepted, durable once `ackId` is acknowledged (poll with `PushAcks`). */
  | { kind: 'accepted'; ackId: number }
  /** Rows before `index` were accepted; row `index` was refused (logged and skipped); the rest were not read. */
  | { kind: 'rejected_item'; index: number; reason: string }
  /** The request was too large: send the rows in smaller requests. */
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
  /** Bytes a row adds to a request (for the batch byte limit). */
  size(row: PushRow): number;
  send(rows: readonly PushRow[], signal: AbortSignal): Promise<SendOutcome>;
  /** Present when the destination confirms durability after accepting (Splunk indexer ack). */
  acks: PushAcks | null;
  close(): void;
}

/** The IOC id of a row, for log lines (documents start with their id). */
export function rowId(row: PushRow): string {
  const m = /^\{"id":"([^"]*)"/.exec(row.doc.toString('utf8', 0, Math.min(row.doc.length, 120)));
  return m?.[1] ?? '';
}
