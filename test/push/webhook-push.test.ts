/**
 * The webhook destination over the same delivery engine: signed JSON batches to a local
 * receiver that verifies every signature, with retries (503, 500 after processing, Retry-After),
 * 413 splits and a refusing receiver. A resent batch keeps its message id, so a receiver that
 * remembers ids drops the copy: with it, every IOC is processed exactly once.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { runPush } from '../../src/push/run.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useTestStore } from '../store/test-store.js';
import { seed, storedVersions, webhookDestination } from './support/fixtures.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

interface Delivery {
  id: string;
  body: { id: string; first_version: number; last_version: number; count: number; data: IocRecord[] };
  headers: Record<string, string | string[] | undefined>;
}

interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** Status for the next requests (after processing when `after` is true). */
  script: Array<{ status: number; after?: boolean; retryAfter?: string }>;
  badSignatures: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const state: Receiver = { url: '', deliveries: [], script: [], badSignatures: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const id = String(req.headers['webhook-id']);
      const ts = String(req.headers['webhook-timestamp']);
      const mac = createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64')).update(`${id}.${ts}.${text}`).digest('base64');
      if (req.headers['webhook-signature'] !== `v1,${mac}`) {
        state.badSignatures++;
        res.writeHead(401).end('bad signature');
        return;
      }
      const step = state.script.shift();
      if (step && !step.after) {
        res.writeHead(step.status, step.retryAfter ? { 'retry-after': step.retryAfter } : {}).end('try later');
        return;
      }
      state.deliveries.push({ id, body: JSON.parse(text) as Delivery['body'], headers: req.headers });
      res.writeHead(step?.status ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/socd`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

describe.each(DATABASE_KINDS)('webhook push (%s)', (kind) => {
  const db = useTestStore(kind);
  let receiver: Receiver;

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('delivers signed batches of the stored documents, gzip optional, with custom headers', async () => {
    await seed(db.store(), 250);
    const r = await runPush(db.store(), webhookDestination(receiver.url, { gzip: true, headers: { 'X-Tenant': 'soc-1' } }));
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.delivered).toBe(250);
    expect(receiver.badSignatures).toBe(0);
    expect(receiver.deliveries.map((d) => d.body.count)).toEqual([100, 100, 50]);
    const first = receiver.deliveries[0] as Delivery;
    expect(first.headers['x-tenant']).toBe('soc-1');
    expect(first.headers['content-type']).toBe('application/json');
    expect(first.body.id).toBe(first.id);
    const doc = first.body.data[0] as IocRecord;
    expect(doc).toEqual(await db.store().getIoc(doc.id));
    const ids = receiver.deliveries.flatMap((d) => d.body.data.map((x) => x.id));
    expect(new Set(ids)).toEqual(new Set((await storedVersions(db.store())).keys()));
  });

  it('retries 503 (Retry-After) and a 500 after processing; the resent batch keeps its message id', async () => {
    await seed(db.store(), 300);
    receiver.script.push({ status: 503, retryAfter: '0' }, { status: 204, after: true }, { status: 500, after: true });
    const r = await runPush(db.store(), webhookDestination(receiver.url));
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.retries).toBe(2);
    expect(r.resent).toBe(100); // the batch processed before its 500
    const byId = new Map<string, number>();
    for (const d of receiver.deliveries) byId.set(d.id, (byId.get(d.id) ?? 0) + 1);
    expect([...byId.values()].sort()).toEqual([1, 1, 2]);
    // A receiver that drops repeated message ids processes every IOC exactly once.
    const seen = new Set<string>();
    const processed: string[] = [];
    for (const d of receiver.deliveries) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      processed.push(...d.body.data.map((x) => x.id));
    }
    expect(processed).toHaveLength(300);
    expect(new Set(processed).size).toBe(300);
  });

  it('splits on 413 and stops on 401 or 404', async () => {
    await seed(db.store(), 100);
    receiver.script.push({ status: 413 });
    const split = await runPush(db.store(), webhookDestination(receiver.url));
    expect(split.status).toBe('ok');
    expect(receiver.deliveries.map((d) => d.body.count)).toEqual([50, 50]);

    await seed(db.store(), 10, 9000);
    const wrongSecret = await runPush(db.store(), webhookDestination(receiver.url, { secret: 'not the secret' }));
    expect(wrongSecret.error?.code).toBe('webhook_unauthorized');
    expect(wrongSecret.requests).toBe(1);
    receiver.script.push({ status: 404 });
    const gone = await runPush(db.store(), webhookDestination(receiver.url));
    expect(gone.error?.code).toBe('webhook_not_found');
    const fixed = await runPush(db.store(), webhookDestination(receiver.url));
    expect(fixed).toMatchObject({ status: 'ok', delivered: 10 });
  });
});
