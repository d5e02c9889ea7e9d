/**
 * The HEC push connector against a local server speaking HEC (support/hec-server.ts), on every
 * test database, with faults injected: 503 bursts, 429 with Retry-After, timeouts and connection
 * resets before and after indexing, refused events, 413, a bad or disabled token, a wrong index,
 * indexer acknowledgement with lost acks and a lost channel. Every IOC must arrive; an IOC may
 * arrive twice only where an answer or an ack was lost, and the run counts those (`resent`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { DestinationsRepository } from '../../src/push/destinations-repository.js';
import { runPush } from '../../src/push/run.js';
import { pushStatus } from '../../src/push/status.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useTestStore } from '../store/test-store.js';
import { duplicates, HEC_TOKEN, hecDestination, receivedIds, seed, storedVersions, sum } from './support/fixtures.js';
import { startHecServer, type HecServer } from './support/hec-server.js';

const IOCS = 1000;

describe.each(DATABASE_KINDS)('Splunk HEC push (%s)', (kind) => {
  const db = useTestStore(kind);
  let hec: HecServer;
  const logs: string[] = [];
  const log = (line: string): void => {
    logs.push(line);
  };

  beforeEach(async () => {
    logs.length = 0;
    hec = await startHecServer({ tokens: { [HEC_TOKEN]: { indexes: ['threat_intel'] }, 'ack-token': { ack: true }, disabled: { disabled: true } } });
  });
  afterEach(async () => {
    await hec.close();
  });

  /** Every stored IOC arrived, in its current version; the ids that arrived more than once. */
  async function expectAllArrived(): Promise<Map<string, number>> {
    const stored = await storedVersions(db.store());
    const ids = receivedIds(hec);
    expect(new Set(ids)).toEqual(new Set(stored.keys()));
    return duplicates(ids);
  }

  it('delivers every IOC once as HEC envelopes, gzip-compressed, batched, and moves the checkpoint', async () => {
    await seed(db.store(), IOCS);
    const r = await runPush(db.store(), hecDestination(hec.url), { log });
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.delivered).toBe(IOCS);
    expect(r.resent).toBe(0);
    expect(r.checkpoint).toBe(r.head);
    expect((await expectAllArrived()).size).toBe(0);
    expect(hec.requests).toHaveLength(IOCS / 100);
    expect(hec.requests.every((q) => q.gzip && q.status === 200 && q.events === 100)).toBe(true);

    const first = hec.events[0]?.envelope as Record<string, unknown>;
    expect(Object.keys(first)).toEqual(['time', 'host', 'source', 'sourcetype', 'index', 'event']);
    expect(first).toMatchObject({ host: 'socd-test', source: 'soc-defenders', sourcetype: 'socd:ioc', index: 'threat_intel' });
    const event = first.event as IocRecord;
    expect(first.time).toBeCloseTo(Date.parse(event.updated_at) / 1000, 2);
    const stored = await db.store().getIoc(event.id);
    expect(event).toEqual(stored);
    expect(event.context).toContain('\nline two');

    const state = await new DestinationsRepository(db.store()).get('splunk-test');
    expect(state).toMatchObject({ checkpoint: r.head, delivered: IOCS, last_status: 'ok', lease_owner: null });
  });

  it('sends only new and changed IOCs on the next run', async () => {
    await seed(db.store(), 300);
    expect((await runPush(db.store(), hecDestination(hec.url))).delivered).toBe(300);
    const again = await runPush(db.store(), hecDestination(hec.url));
    expect(again).toMatchObject({ status: 'ok', delivered: 0, requests: 0 });

    await seed(db.store(), 50, 5000); // new
    const changed = (await db.store().listIocs({ limit: 20, status: 'all' })).map((r) => (JSON.parse(r.doc) as IocRecord).id);
    for (const id of changed) await db.store().setStatus(id, 'revoked', new Date());
    const r = await runPush(db.store(), hecDestination(hec.url));
    expect(r).toMatchObject({ status: 'ok', delivered: 70 });
    const revoked = hec.events.slice(300).filter((e) => (e.envelope.event as IocRecord).status === 'revoked');
    expect(revoked.map((e) => (e.envelope.event as IocRecord).id).sort()).toEqual([...changed].sort());
    await expectAllArrived();
  });

  it('rides out 503 "Server is busy" bursts and 429 with Retry-After without losing or repeating an IOC', async () => {
    await seed(db.store(), IOCS);
    hec.faults.push(
      { kind: 'status', status: 503, code: 9 },
      { kind: 'status', status: 503, code: 9 },
      { kind: 'status', status: 503, code: 9 },
      { kind: 'status', status: 503, code: 18, text: 'HEC is unhealthy, queues are full' },
      { kind: 'status', status: 429, code: 9, retryAfter: 1 },
    );
    const started = Date.now();
    const r = await runPush(db.store(), hecDestination(hec.url), { log });
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.retries).toBe(5);
    expect(r.resent).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After: 1 honoured
    expect((await expectAllArrived()).size).toBe(0);
    expect(logs.some((l) => /Server is busy \(code 9\); retry 1/.test(l))).toBe(true);
  });

  it('retries after timeouts and resets; duplicates only the batches whose answer was lost after indexing', async () => {
    await seed(db.store(), IOCS);
    hec.faults.push(
      { kind: 'hang', afterIndex: false }, // request 1 (batch 1): times out, nothing indexed
      { kind: 'none' }, // request 2: batch 1 again
      { kind: 'none' }, // request 3: batch 2
      { kind: 'hang', afterIndex: true }, // request 4 (batch 3): indexed, answer lost (timeout)
      { kind: 'none' }, // request 5: batch 3 again: 100 duplicates
      { kind: 'none' }, // request 6: batch 4
      { kind: 'reset', afterIndex: true }, // request 7 (batch 5): indexed, connection reset
      { kind: 'none' }, // request 8: batch 5 again: 100 duplicates
      { kind: 'reset', afterIndex: false }, // request 9 (batch 6): reset before indexing
    );
    const r = await runPush(db.store(), hecDestination(hec.url, { timeoutMs: 300 }), { log });
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.retries).toBe(4);
    // Four requests whose answer never came: each may have been indexed, so each counts.
    expect(r.resent).toBe(400);
    const dups = await expectAllArrived();
    const lostAnswers = hec.events.filter((e) => e.request === 4 || e.request === 7).map((e) => (e.envelope.event as IocRecord).id);
    expect(lostAnswers).toHaveLength(200);
    expect(new Set(dups.keys())).toEqual(new Set(lostAnswers));
    expect(sum(dups.values())).toBe(200);
    expect(sum(dups.values())).toBeLessThanOrEqual(r.resent);
    expect(logs.some((l) => /timeout: no response within 300 ms/.test(l))).toBe(true);
  });

  it('stops and reports on a bad token, a disabled token or a wrong index; the next run with it fixed delivers everything', async () => {
    await seed(db.store(), 250);
    const bad = await runPush(db.store(), hecDestination(hec.url, { token: 'not-the-token' }), { log });
    expect(bad.status).toBe('error');
    expect(bad.error?.code).toBe('hec_invalid_token');
    expect(bad.error?.message).toMatch(/HTTP 403: Invalid token \(code 4\)/);
    expect(bad.requests).toBe(1); // no retries against a bad token
    expect(hec.events).toHaveLength(0);

    const disabled = await runPush(db.store(), hecDestination(hec.url, { token: 'disabled' }));
    expect(disabled.error?.code).toBe('hec_token_disabled');
    const index = await runPush(db.store(), hecDestination(hec.url, { index: 'not_allowed' }));
    expect(index.error?.code).toBe('hec_incorrect_index');
    expect(hec.events).toHaveLength(0);

    const [status] = await pushStatus(db.store(), { source: null, destinations: [hecDestination(hec.url)] });
    expect(status).toMatchObject({ last_status: 'error', checkpoint: 0, pending: 250, delivered: 0 });
    expect(status?.last_error).toMatch(/^hec_incorrect_index: HTTP 400: Incorrect index \(code 7\)/);
    expect(status?.lag_seconds).toBeGreaterThanOrEqual(0);

    const fixed = await runPush(db.store(), hecDestination(hec.url));
    expect(fixed).toMatchObject({ status: 'ok', delivered: 250 });
    expect((await expectAllArrived()).size).toBe(0);
    const [after] = await pushStatus(db.store(), { source: null, destinations: [hecDestination(hec.url)] });
    expect(after).toMatchObject({ last_status: 'ok', pending: 0, lag_seconds: 0, delivered: 250 });
    expect(after?.last_success_at).not.toBeNull();
  });

  it('logs and skips an event HEC refuses (invalid-event-number) and delivers the rest of its batch', async () => {
    await seed(db.store(), 300);
    hec.faults.push({ kind: 'none' }, { kind: 'reject-event', index: 37, code: 6 });
    const r = await runPush(db.store(), hecDestination(hec.url), { log });
    expect(r.status, r.error?.message).toBe('ok');
    expect(r).toMatchObject({ delivered: 299, skipped: 1, resent: 0 });
    const stored = await db.store().listIocs({ status: 'all', limit: 1000 });
    const refused = JSON.parse((stored[137] as { doc: string }).doc) as IocRecord;
    const ids = receivedIds(hec);
    expect(ids).toHaveLength(299);
    expect(new Set(ids).size).toBe(299);
    expect(ids).not.toContain(refused.id);
    expect(logs.some((l) => l.includes(`skipped IOC ${refused.id}`) && l.includes('Invalid data format (code 6)'))).toBe(true);
    const state = await new DestinationsRepository(db.store()).get('splunk-test');
    expect(state?.checkpoint).toBe(r.head);
    expect(state?.skipped).toBe(1);
    expect(state?.last_skip).toContain(refused.id);
  });

  it('splits a batch HEC finds too large (413)', async () => {
    await seed(db.store(), 200);
    hec.faults.push({ kind: 'too-large' }, { kind: 'too-large' });
    const r = await runPush(db.store(), hecDestination(hec.url), { log });
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.delivered).toBe(200);
    expect((await expectAllArrived()).size).toBe(0);
    expect(hec.requests.filter((q) => q.status === 200).map((q) => q.events)).toEqual([25, 25, 50, 100]);
  });

  it('batches by bytes as well as by count', async () => {
    await seed(db.store(), 100);
    const r = await runPush(db.store(), hecDestination(hec.url, { batch: { maxEvents: 1000, maxBytes: 20_000 }, gzip: false }));
    expect(r.status).toBe('ok');
    expect(hec.requests.length).toBeGreaterThan(3);
    expect(hec.requests.every((q) => !q.gzip && q.events > 0)).toBe(true);
    expect(sum(hec.requests.map((q) => q.events))).toBe(100);
  });

  it('gives up after max_attempts with the checkpoint on the last delivered batch, and the next run resumes there', async () => {
    await seed(db.store(), 500);
    hec.faults.push({ kind: 'none' }, { kind: 'none' }, ...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 503, code: 9 })));
    const r = await runPush(db.store(), hecDestination(hec.url, { retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 } }), { log });
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('retries_exhausted');
    expect(r.delivered).toBe(200);
    const stored = await db.store().listIocs({ status: 'all', limit: 1000 });
    expect(r.checkpoint).toBe(stored[199]?.version);
    const resumed = await runPush(db.store(), hecDestination(hec.url));
    expect(resumed).toMatchObject({ status: 'ok', delivered: 300, startCheckpoint: r.checkpoint });
    expect((await expectAllArrived()).size).toBe(0);
  });

  it('with several batches in flight and random faults, every IOC arrives and duplicates stay within what was resent', async () => {
    await seed(db.store(), 3000);
    const kinds = [
      { kind: 'status', status: 503, code: 9 },
      { kind: 'hang', afterIndex: true },
      { kind: 'reset', afterIndex: true },
      { kind: 'reset', afterIndex: false },
      { kind: 'status', status: 500, code: 8, text: 'Internal server error' },
    ] as const;
    let seedValue = 7;
    const random = (): number => {
      seedValue = (seedValue * 1103515245 + 12345) % 2147483648;
      return seedValue / 2147483648;
    };
    for (let i = 0; i < 60; i++) hec.faults.push(random() < 0.3 ? { ...(kinds[Math.floor(random() * kinds.length)] as (typeof kinds)[number]) } : { kind: 'none' });
    const r = await runPush(db.store(), hecDestination(hec.url, { maxInFlight: 4, timeoutMs: 300, retry: { maxAttempts: 20, baseMs: 2, maxMs: 20 } }), { log });
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.checkpoint).toBe(r.head);
    const dups = await expectAllArrived();
    expect(sum(dups.values())).toBeLessThanOrEqual(r.resent);
    expect(r.retries).toBeGreaterThan(0);
  });

  describe('with indexer acknowledgement', () => {
    const acked = (o: Parameters<typeof hecDestination>[1] = {}) =>
      hecDestination(hec.url, { token: 'ack-token', index: null, ack: { enabled: true, pollMs: 10, timeoutMs: 400 }, ...o });

    it('sends a channel, polls /services/collector/ack, and moves the checkpoint only on acknowledged batches', async () => {
      await seed(db.store(), 500);
      const r = await runPush(db.store(), acked({ maxInFlight: 2 }), { log });
      expect(r.status, r.error?.message).toBe('ok');
      expect(r).toMatchObject({ delivered: 500, resent: 0 });
      expect(hec.ackPolls).toBeGreaterThan(0);
      const channels = new Set(hec.requests.map((q) => q.channel));
      expect(channels.size).toBe(1);
      expect([...channels][0]).toMatch(/^[0-9a-f-]{36}$/);
      expect((await expectAllArrived()).size).toBe(0);
    });

    it('resends a batch whose ack never comes (the only duplicates) and counts them', async () => {
      await seed(db.store(), 500);
      hec.faults.push({ kind: 'none' }, { kind: 'lose-ack' });
      const r = await runPush(db.store(), acked(), { log });
      expect(r.status, r.error?.message).toBe('ok');
      expect(r.resent).toBe(100);
      const dups = await expectAllArrived();
      const lost = hec.events.filter((e) => e.request === 2).map((e) => (e.envelope.event as IocRecord).id);
      expect(new Set(dups.keys())).toEqual(new Set(lost));
      expect(sum(dups.values())).toBe(100);
      expect(logs.some((l) => /no indexer acknowledgement for ackId 1 within 400 ms/.test(l))).toBe(true);
    });

    /** Pushes 300 IOCs through a server with slow acks that restarts (forgets channels) as `restart` says. */
    async function pushThroughRestart(restart: (server: HecServer, request: number) => void): Promise<{ r: Awaited<ReturnType<typeof runPush>>; ids: string[] }> {
      await seed(db.store(), 300);
      const slowAck = await startHecServer({ tokens: { 'ack-token': { ack: true } }, ackDelayMs: 150 });
      try {
        slowAck.afterIndex = (req) => restart(slowAck, req.n);
        const dest = hecDestination(slowAck.url, { token: 'ack-token', index: null, ack: { enabled: true, pollMs: 20, timeoutMs: 5_000 } });
        const r = await runPush(db.store(), dest, { log });
        return { r, ids: slowAck.events.map((e) => (e.envelope.event as IocRecord).id) };
      } finally {
        await slowAck.close();
      }
    }

    it('resends the unacknowledged batches when the server forgets the channel (a Splunk restart)', async () => {
      // After the last batch is answered: the next ack poll finds no channel (code 11).
      const { r, ids } = await pushThroughRestart((server, n) => {
        if (n === 3) setImmediate(() => server.forgetChannels());
      });
      expect(r.status, r.error?.message).toBe('ok');
      expect(new Set(ids)).toEqual(new Set((await storedVersions(db.store())).keys()));
      expect(r.resent).toBe(300);
      expect(sum(duplicates(ids).values())).toBe(300);
      expect(logs.some((l) => /ack channel lost \(HTTP 400: Invalid data channel \(code 11\)\)/.test(l))).toBe(true);
    });

    it('treats an ackId handed out again (channel re-created by a restart) as lost', async () => {
      const { r, ids } = await pushThroughRestart((server, n) => {
        if (n === 2) server.forgetChannels();
      });
      expect(r.status, r.error?.message).toBe('ok');
      expect(new Set(ids)).toEqual(new Set((await storedVersions(db.store())).keys()));
      expect(r.resent).toBeGreaterThan(0);
      expect(sum(duplicates(ids).values())).toBeLessThanOrEqual(r.resent);
      expect(logs.some((l) => /ackId 0 was handed out again/.test(l))).toBe(true);
    });

    it('stops with a hint when the token requires ack and the destination does not use it', async () => {
      await seed(db.store(), 10);
      const r = await runPush(db.store(), hecDestination(hec.url, { token: 'ack-token', index: null }));
      expect(r.error?.code).toBe('hec_channel_required');
      expect(r.error?.message).toMatch(/Data channel is missing \(code 10\).*ack\.enabled: true/);
    });
  });

  it('lets one process at a time push a destination (lease)', async () => {
    await seed(db.store(), 400);
    const slow = await startHecServer({ tokens: { [HEC_TOKEN]: {} }, delayMs: 30 });
    try {
      const other = await db.extra();
      const [a, b] = await Promise.all([runPush(db.store(), hecDestination(slow.url)), runPush(other, hecDestination(slow.url))]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual(['busy', 'ok']);
      const ids = slow.events.map((e) => (e.envelope.event as IocRecord).id);
      expect(ids).toHaveLength(400);
      expect(new Set(ids).size).toBe(400);
    } finally {
      await slow.close();
    }
  });
});
