/**
 * Splunk HTTP Event Collector answers, as Splunk documents them ("Troubleshoot HTTP Event
 * Collector", status codes), and what each means for a sender:
 *
 * | code | text | HTTP | we |
 * | 0 | Success | 200 | delivered (or accepted, with an ackId) |
 * | 1 | Token disabled | 403 | stop and report |
 * | 2 | Token is required | 401 | stop and report |
 * | 3 | Invalid authorization | 401 | stop and report |
 * | 4 | Invalid token | 403 | stop and report |
 * | 5 | No data | 400 | stop (never sent by us) |
 * | 6 | Invalid data format | 400 | skip the event named by invalid-event-number, log it |
 * | 7 | Incorrect index | 400 | stop and report (the configured index) |
 * | 8 | Internal server error | 500 | retry |
 * | 9 | Server is busy | 503 | retry with backoff |
 * | 10 | Data channel is missing | 400 | stop: the token requires ack (enable ack) |
 * | 11 | Invalid data channel | 400 | stop (on ack polls: the channel is gone, resend) |
 * | 12 | Event field is required | 400 | skip the event |
 * | 13 | Event field cannot be blank | 400 | skip the event |
 * | 14 | ACK is disabled | 400 | stop: ack configured but off on the token |
 * | 15 | Error in handling indexed fields | 400 | skip the event |
 * | 16 | Query string authorization is not enabled | 400 | stop |
 * | 18-20 | HEC is unhealthy (queues full / ack service unavailable) | 503 | retry with backoff |
 *
 * HEC reads a batch in order: on a bad event it answers with its 0-based `invalid-event-number`,
 * the events before it having been accepted and the ones after it not read.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { retryAfterMs } from './backoff.js';
import type { AckPollOutcome, SendOutcome } from './sink.js';

export interface HecReply {
  text?: string;
  code?: number;
  'invalid-event-number'?: number;
  ackId?: number;
  acks?: Record<string, boolean>;
}

const STOP_HINTS: Readonly<Record<number, { code: string; hint: string }>> = {
  1: { code: 'hec_token_disabled', hint: 'enable the token in Splunk (Settings > Data inputs > HTTP Event Collector)' },
  2: { code: 'hec_token_missing', hint: 'set the token variable named in the push config' },
  3: { code: 'hec_bad_authorization', hint: 'check the token variable named in the push config' },
  4: { code: 'hec_invalid_token', hint: 'check the token variable named in the push config' },
  5: { code: 'hec_no_data', hint: 'an empty request was sent; please report this' },
  7: { code: 'hec_incorrect_index', hint: 'the token may not write to the configured index: fix index in the push config or the token\'s allowed indexes' },
  10: { code: 'hec_channel_required', hint: 'the token has indexer acknowledgement on: set ack.enabled: true for this destination' },
  11: { code: 'hec_invalid_channel', hint: 'HEC refused the request channel' },
  14: { code: 'hec_ack_disabled', hint: 'indexer acknowledgement is off on the token: set ack.enabled: false, or enable it on the token' },
  16: { code: 'hec_query_auth_disabled', hint: 'send the token in the Authorization header' },
};

const SKIP_EVENT_CODES = new Set([6, 12, 13, 15]);
/** Refused before reading the events (busy, unhealthy): a resend cannot duplicate. */
const BUSY_CODES = new Set([9, 18, 19, 20]);

/** The JSON answer of HEC, or an empty object when the body is not one (a proxy's error page). */
export function parseHecReply(body: string): HecReply {
  try {
    const v: unknown = JSON.parse(body);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as HecReply) : {};
  } catch {
    return {};
  }
}

function describe(status: number, reply: HecReply, body: string): string {
  if (reply.text !== undefined) return `HTTP ${status}: ${reply.text}${reply.code !== undefined ? ` (code ${reply.code})` : ''}`;
  const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
}

/** What an answer of `/services/collector/event` means for the batch that was sent. */
export function classifyHecSend(status: number, headers: IncomingHttpHeaders, body: string): SendOutcome {
  const reply = parseHecReply(body);
  const code = typeof reply.code === 'number' ? reply.code : null;
  const what = describe(status, reply, body);
  if (status >= 200 && status < 300 && (code === 0 || code === null)) {
    return typeof reply.ackId === 'number' ? { kind: 'accepted', ackId: reply.ackId } : { kind: 'delivered' };
  }
  if (status === 429 || (code !== null && BUSY_CODES.has(code)) || (status === 503 && code === null)) {
    return { kind: 'retry', reason: what, retryAfterMs: retryAfterMs(headers['retry-after']), ambiguous: false };
  }
  // An internal error (code 8) or a proxy's 502/504 may come after some events were read.
  if (status >= 500 || code === 8) return { kind: 'retry', reason: what, retryAfterMs: retryAfterMs(headers['retry-after']), ambiguous: true };
  if (status === 413) return { kind: 'too_large', reason: what };
  if (code !== null && SKIP_EVENT_CODES.has(code) && typeof reply['invalid-event-number'] === 'number') {
    return { kind: 'rejected_item', index: reply['invalid-event-number'], reason: what };
  }
  if (code !== null && STOP_HINTS[code]) {
    const stop = STOP_HINTS[code];
    return { kind: 'fatal', code: stop.code, reason: `${what}: ${stop.hint}` };
  }
  if (status === 401 || status === 403) return { kind: 'fatal', code: 'hec_unauthorized', reason: `${what}: check the HEC token` };
  if (status === 404) return { kind: 'fatal', code: 'hec_not_found', reason: `${what}: check the destination URL (HEC must be enabled and reachable at it)` };
  return { kind: 'fatal', code: 'hec_refused', reason: what };
}

/** What an answer of `/services/collector/ack` means for the acks asked about. */
export function classifyHecAck(status: number, body: string): AckPollOutcome {
  const reply = parseHecReply(body);
  const what = describe(status, reply, body);
  if (status === 200 && reply.acks && typeof reply.acks === 'object') {
    const acked = new Set<number>();
    for (const [id, ok] of Object.entries(reply.acks)) if (ok === true) acked.add(Number(id));
    return { kind: 'ok', acked };
  }
  if (reply.code === 11) return { kind: 'channel_lost', reason: what };
  if (reply.code === 14) return { kind: 'fatal', code: 'hec_ack_disabled', reason: `${what}: ${STOP_HINTS[14]?.hint ?? ''}` };
  if (status === 401 || status === 403) return { kind: 'fatal', code: 'hec_unauthorized', reason: `${what}: check the HEC token` };
  return { kind: 'retry', reason: what };
}
