/**
 * The generic webhook payload: a JSON batch of IOC documents, signed per the Standard Webhooks
 * specification (https://www.standardwebhooks.com/): headers `webhook-id`, `webhook-timestamp`
 * and `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, so receivers
 * can verify with any Standard Webhooks library (or ten lines of code) and reject replays.
 *
 * The message id is derived from the destination and the batch's version range: a batch resent
 * after a lost response carries the same id, so a receiver that remembers ids drops the copy.
 *
 * Body: `{"type":"socd.iocs","id","destination","first_version","last_version","count","data":[...]}`
 * with `data` the IOC documents exactly as the API returns them (concatenated, not re-serialized).
 */
import { createHash, createHmac } from 'node:crypto';

export const WEBHOOK_CONTENT_TYPE = 'application/json';
export const WEBHOOK_EVENT_TYPE = 'socd.iocs';

export interface WebhookBatch {
  destination: string;
  firstVersion: number;
  lastVersion: number;
  /** Pre-rendered IOC documents (JSON object texts, or their UTF-8 bytes). */
  docs: ReadonlyArray<string | Uint8Array>;
}

/**
 * Stable message id of a batch: the same destination and version range give the same id.
 *
 * @example webhookMessageId('soar', 1, 500) // 'msg_3f2a…' (32 hex digits)
 */
export function webhookMessageId(destination: string, firstVersion: number, lastVersion: number): string {
  const digest = createHash('sha256').update(`${destination}\n${firstVersion}\n${lastVersion}`).digest('hex');
  return `msg_${digest.slice(0, 32)}`;
}

/** The JSON body of a batch, as UTF-8 bytes. */
export function renderWebhookBody(batch: WebhookBatch): Buffer {
  const head = {
    type: WEBHOOK_EVENT_TYPE,
    id: webhookMessageId(batch.destination, batch.firstVersion, batch.lastVersion),
    destination: batch.destination,
    first_version: batch.firstVersion,
    last_version: batch.lastVersion,
    count: batch.docs.length,
  };
  const json = JSON.stringify(head);
  const parts: Buffer[] = [Buffer.from(`${json.slice(0, -1)},"data":[`, 'utf8')];
  batch.docs.forEach((doc, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(typeof doc === 'string' ? Buffer.from(doc, 'utf8') : Buffer.from(doc.buffer, doc.byteOffset, doc.byteLength));
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/**
 * The HMAC key of a secret: a Standard Webhooks `whsec_<base64>` secret is its decoded bytes;
 * any other secret is used as UTF-8 text.
 */
export function webhookKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

/** `v1,<base64 signature>` of `body` sent as message `id` at `timestamp` (Unix seconds). */
export function signWebhook(secret: string, id: string, timestamp: number, body: string | Uint8Array): string {
  const mac = createHmac('sha256', webhookKey(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/** The signature headers of one delivery. */
export function webhookHeaders(secret: string, id: string, timestamp: number, body: string | Uint8Array): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signWebhook(secret, id, timestamp, body),
  };
}
