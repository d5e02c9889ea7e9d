/**
 * The TAXII losslessness promise (issue: "A test pages a collection with limit 7 while ingestion
 * adds and changes IOCs, by next and by added_after, and proves no version is missed or
 * duplicated"), on SQLite and PostgreSQL, with the writes interleaved between pages and running
 * concurrently with the polls.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { iocId } from '../../src/domain/ids.js';
import type { IocType } from '../../src/domain/vocabulary.js';
import { STIX_SHARED_OBJECTS } from '../../src/export/stix.js';
import { toMicroTimestamp } from '../../src/export/stix-time.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { candidate, ingest, newKey, startApi, valueOf, type RunningApi } from './support/server.js';
import { qs, ROOT, taxiiGet, type ManifestEnvelope, type ObjectsEnvelope } from './taxii-http.js';

type Mode = 'next' | 'added_after';
const TYPES: IocType[] = ['ipv4', 'domain', 'sha256', 'cve', 'url'];
const LIMIT = 7;

interface Received {
  id: string;
  modified: string;
  dateAdded: string;
  revoked: boolean;
}

/** A poller as TAXII clients run one: pages of 7, resuming by `next` or by `added_after`. */
class Poller {
  readonly received: Received[] = [];
  private next: string | undefined;
  private addedAfter: string | undefined;
  pages = 0;

  constructor(
    private readonly api: RunningApi,
    private readonly key: string,
    private readonly mode: Mode,
  ) {}

  /** Fetch one page; true when the server said more objects follow. */
  async poll(): Promise<boolean> {
    const query = qs({ limit: LIMIT, next: this.next, added_after: this.next ? undefined : this.addedAfter });
    const objects = await taxiiGet<ObjectsEnvelope>(this.api.url, `${ROOT}/collections/all-iocs/objects/${query}`, this.key);
    expect(objects.status).toBe(200);
    const list = objects.body.objects ?? [];
    expect(list.length).toBeLessThanOrEqual(LIMIT);
    for (const o of list) {
      const modified = String(o.modified ?? o.created);
      // An IOC object's date_added is its version's timestamp, its `modified` (taxii.test.ts
      // checks this in the manifest); the shared objects open the first page only.
      const shared = o.type === 'identity' || o.type === 'marking-definition';
      this.received.push({ id: o.id, modified, dateAdded: shared ? '' : modified, revoked: o.revoked === true });
    }
    const last = objects.headers.get('x-taxii-date-added-last');
    expect(last).toBeTruthy();
    const lastObject = list[list.length - 1];
    if (lastObject && lastObject.type !== 'marking-definition') expect(last).toBe(lastObject.modified);
    this.pages++;
    if (this.mode === 'next' && objects.body.more) {
      expect(typeof objects.body.next).toBe('string');
      this.next = objects.body.next;
    } else {
      // added_after mode always, next mode once the server says it has no more: resume by date.
      this.next = undefined;
      this.addedAfter = last ?? undefined;
    }
    return objects.body.more;
  }

  async drain(): Promise<void> {
    while (await this.poll()) {
      /* keep paging */
    }
  }
}

let seq = 1000;

/** One round of ingestion: 3 new IOCs, 2 changed (a new tag: a new version), 1 revoked. */
async function writeRound(api: RunningApi, round: number, existing: Array<{ type: IocType; n: number }>): Promise<void> {
  const added = Array.from({ length: 3 }, (_, i) => ({ type: TYPES[(round + i) % TYPES.length] as IocType, n: seq++ }));
  const changed = [existing[(round * 5) % existing.length], existing[(round * 7 + 3) % existing.length]].filter(
    (x): x is { type: IocType; n: number } => x !== undefined,
  );
  await ingest(api.store, [
    ...added.map(({ type, n }) => candidate(n, { type })),
    ...changed.map(({ type, n }) => candidate(n, { type, tags: ['test', `round-${round}`] })),
  ]);
  existing.push(...added);
  const revoke = existing[(round * 11 + 1) % existing.length];
  if (revoke) await api.store.setStatus(iocId(revoke.type, valueOf(revoke.type, revoke.n)), 'revoked', new Date());
}

/** What a complete, exact sync must show (see the file comment). */
async function expectLossless(api: RunningApi, key: string, received: readonly Received[]): Promise<void> {
  const iocs = received.filter((r) => !r.id.startsWith('identity--') && !r.id.startsWith('marking-definition--'));
  // Nothing repeated: each (object, version) once, date_added strictly increasing across pages.
  const versions = received.map((r) => `${r.id}|${r.modified}`);
  expect(new Set(versions).size).toBe(versions.length);
  for (let i = 1; i < iocs.length; i++) {
    expect((iocs[i]?.dateAdded ?? '') > (iocs[i - 1]?.dateAdded ?? ''), `date_added order at ${i}`).toBe(true);
  }
  expect(received.length - iocs.length).toBe(STIX_SHARED_OBJECTS.length);
  // Each object's versions arrive in order.
  const lastSeen = new Map<string, Received>();
  for (const r of received) {
    const prev = lastSeen.get(r.id);
    if (prev) expect(r.modified > prev.modified).toBe(true);
    lastSeen.set(r.id, r);
  }
  // Nothing missed: the last version received of every object is its current version, and the
  // objects received are exactly the collection's.
  const m = await taxiiGet<ManifestEnvelope>(api.url, `${ROOT}/collections/all-iocs/manifest/?limit=1000`, key);
  expect(m.body.more).toBe(false);
  const current = new Map((m.body.objects ?? []).map((o) => [o.id, o]));
  expect([...lastSeen.keys()].sort()).toEqual([...current.keys()].sort());
  for (const [id, r] of lastSeen) {
    expect(toMicroTimestamp(r.modified), id).toBe(current.get(id)?.version);
  }
  // The run exercised changes and revocations, not only additions.
  expect(iocs.some((r) => r.revoked)).toBe(true);
  expect(new Set(iocs.map((r) => r.id)).size).toBeLessThan(iocs.length);
}

describe.each(DATABASE_KINDS)('TAXII paging while ingesting on %s', (kind) => {
  let api: RunningApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  async function setup(): Promise<{ api: RunningApi; key: string; existing: Array<{ type: IocType; n: number }> }> {
    const started = await startApi(kind);
    api = started;
    const key = (await newKey(started.deps, 'pro')).key;
    const existing = Array.from({ length: 30 }, (_, i) => ({ type: TYPES[i % TYPES.length] as IocType, n: seq++ }));
    await ingest(started.store, existing.map(({ type, n }) => candidate(n, { type })));
    return { api: started, key, existing };
  }

  it.each<Mode>(['next', 'added_after'])('by %s, with writes between pages', async (mode) => {
    const { api, key, existing } = await setup();
    const poller = new Poller(api, key, mode);
    for (let round = 0; round < 12; round++) {
      await poller.poll();
      await writeRound(api, round, existing);
    }
    await poller.drain();
    expect(poller.pages).toBeGreaterThan(12);
    await expectLossless(api, key, poller.received);
  });

  it('by next and by added_after at once, with writes running concurrently', async () => {
    const { api, key, existing } = await setup();
    const byNext = new Poller(api, key, 'next');
    const byDate = new Poller(api, key, 'added_after');
    let writing = true;
    const writer = (async () => {
      for (let round = 0; round < 15; round++) {
        await writeRound(api, round, existing);
        await new Promise((r) => setTimeout(r, 5));
      }
      writing = false;
    })();
    const poll = async (p: Poller) => {
      while (writing) await p.poll();
    };
    await Promise.all([writer, poll(byNext), poll(byDate)]);
    await byNext.drain();
    await byDate.drain();
    await expectLossless(api, key, byNext.received);
    await expectLossless(api, key, byDate.received);
  });
});
