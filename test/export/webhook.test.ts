/**
 * Webhook payloads (export/webhook.ts): the body, stable message ids, and signatures checked by
 * an independent implementation of the Standard Webhooks verification steps.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderWebhookBody, signWebhook, webhookHeaders, webhookMessageId } from '../../src/export/webhook.js';

/** Standard Webhooks: secret `whsec_<base64>`, content `${id}.${ts}.${body}`, header `v1,<b64>` (space-separated list). */
function verify(secret: string, headers: Record<string, string>, body: string | Buffer): boolean {
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret);
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest();
  return (headers['webhook-signature'] ?? '').split(' ').some((sig) => {
    const [version, b64] = sig.split(',');
    const got = Buffer.from(b64 ?? '', 'base64');
    return version === 'v1' && got.length === expected.length && timingSafeEqual(got, expected);
  });
}

describe('webhook payloads', () => {
  const docs = ['{"id":"a","value":"x\\ny"}', '{"id":"b","value":"\\"q\\""}'];

  it('wrap the stored documents unchanged in a batch object', () => {
    const body = renderWebhookBody({ destination: 'soar', firstVersion: 10, lastVersion: 11, docs }).toString('utf8');
    const parsed = JSON.parse(body) as Record<string, unknown>;
    expect(parsed).toEqual({
      type: 'socd.iocs',
      id: webhookMessageId('soar', 10, 11),
      destination: 'soar',
      first_version: 10,
      last_version: 11,
      count: 2,
      data: docs.map((d) => JSON.parse(d) as unknown),
    });
    expect(body.endsWith(`"data":[${docs.join(',')}]}`)).toBe(true);
    // Documents given as UTF-8 bytes make the same body.
    const bytes = renderWebhookBody({ destination: 'soar', firstVersion: 10, lastVersion: 11, docs: docs.map((d) => Buffer.from(d)) });
    expect(bytes.toString('utf8')).toBe(body);
  });

  it('give the same batch the same message id and another batch another', () => {
    expect(webhookMessageId('soar', 1, 100)).toBe(webhookMessageId('soar', 1, 100));
    expect(webhookMessageId('soar', 1, 100)).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(webhookMessageId('soar', 1, 101)).not.toBe(webhookMessageId('soar', 1, 100));
    expect(webhookMessageId('other', 1, 100)).not.toBe(webhookMessageId('soar', 1, 100));
  });

  it.each(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'a plain shared secret'])('sign so that a Standard Webhooks verifier accepts (%s)', (secret) => {
    const body = renderWebhookBody({ destination: 'soar', firstVersion: 1, lastVersion: 2, docs });
    const headers = webhookHeaders(secret, 'msg_1', 1_700_000_000, body);
    expect(headers['webhook-timestamp']).toBe('1700000000');
    expect(verify(secret, headers, body)).toBe(true);
    expect(verify(secret, headers, Buffer.concat([body, Buffer.from(' ')]))).toBe(false);
    expect(verify('whsec_b3RoZXI=', headers, body)).toBe(false);
  });

  it('matches the Standard Webhooks reference vector', () => {
    // From the specification's test suite (standard-webhooks, "verify" example).
    const sig = signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });
});
