/**
 * The generic webhook destination: JSON batches of IOC documents (export/webhook.ts) POSTed to
 * the configured URL, signed with the destination's secret (Standard Webhooks headers), gzip
 * optional. Any 2xx is delivery; 408, 425, 429 and 5xx are retried with backoff (Retry-After
 * honoured); 413 splits the batch; any other answer stops the run and is reported.
 *
 * Why a webhook rather than an Elastic bulk writer: it reaches every SOAR and automation tool
 * (and a few lines of serverless code reach anything else), the message id lets a receiver drop
 * the copies at-least-once delivery can produce, and Elastic users already have a native path
 * (the Threat Intel TAXII integration against our TAXII 2.1 server).
 */
import { renderWebhookBody, webhookHeaders, webhookMessageId, WEBHOOK_CONTENT_TYPE } from '../export/webhook.js';
import { retryAfterMs } from './backoff.js';
import type { WebhookDestination } from './config.js';
import type { HttpPoster } from './http-post.js';
import { gzipBody, transportOutcome } from './transport.js';
import type { PushRow, PushSink, SendOutcome } from './sink.js';

const RETRY_STATUSES = new Set([408, 425, 429]);

/** What a webhook receiver's answer means for the batch. */
export function classifyWebhookSend(status: number, retryAfter: string | string[] | undefined, body: string): SendOutcome {
  const what = `HTTP ${status}${body.trim() ? `: ${body.replace(/\s+/g, ' ').trim().slice(0, 200)}` : ''}`;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (RETRY_STATUSES.has(status) || status === 503) return { kind: 'retry', reason: what, retryAfterMs: retryAfterMs(retryAfter), ambiguous: false };
  if (status >= 500) return { kind: 'retry', reason: what, retryAfterMs: retryAfterMs(retryAfter), ambiguous: true };
  if (status === 413) return { kind: 'too_large', reason: what };
  if (status === 401 || status === 403) return { kind: 'fatal', code: 'webhook_unauthorized', reason: `${what}: the receiver refused the request (check the secret and headers)` };
  if (status === 404 || status === 410) return { kind: 'fatal', code: 'webhook_not_found', reason: `${what}: check the destination URL` };
  return { kind: 'fatal', code: 'webhook_refused', reason: what };
}

export function createWebhookSink(dest: WebhookDestination, http: HttpPoster, now: () => Date = () => new Date()): PushSink {
  const url = new URL(dest.url);
  return {
    size: (row: PushRow): number => row.doc.length + 1,

    async send(rows, signal): Promise<SendOutcome> {
      const first = rows[0]?.version ?? 0;
      const last = rows[rows.length - 1]?.version ?? 0;
      const body = renderWebhookBody({ destination: dest.name, firstVersion: first, lastVersion: last, docs: rows.map((r) => r.doc) });
      const id = webhookMessageId(dest.name, first, last);
      const headers: Record<string, string> = {
        ...dest.headers,
        'Content-Type': WEBHOOK_CONTENT_TYPE,
        'User-Agent': 'soc-defenders-push',
        ...webhookHeaders(dest.secret, id, Math.floor(now().getTime() / 1000), body),
      };
      let payload: Buffer = body;
      if (dest.gzip) {
        payload = await gzipBody(body, dest.gzipLevel);
        headers['Content-Encoding'] = 'gzip';
      }
      const r = await http.post(url, payload, headers, dest.timeoutMs, signal);
      return r.kind === 'response' ? classifyWebhookSend(r.status, r.headers['retry-after'], r.body) : transportOutcome(r);
    },

    acks: null,
    close: () => http.close(),
  };
}
