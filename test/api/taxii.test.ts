/**
 * The TAXII 2.1 server against the real app on a free port, on SQLite and PostgreSQL: discovery
 * at both locations, API root, collections by id and alias, manifest, objects, object by id,
 * versions and status; every filter; auth (Basic, Bearer, free plan), content negotiation,
 * TAXII error resources and the 2.5 quota cost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iocId } from '../../src/domain/ids.js';
import { TAXII_COLLECTIONS } from '../../src/domain/taxii-collections.js';
import type { IocType } from '../../src/domain/vocabulary.js';
import { STIX_PRODUCER_ID } from '../../src/export/stix-identity.js';
import { toMicroTimestamp } from '../../src/export/stix-time.js';
import { STIX_SHARED_OBJECTS } from '../../src/export/stix.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { candidate, ingest, newKey, startApi, valueOf, type RunningApi } from './support/server.js';
import { basic, qs, ROOT, TAXII, taxiiGet, type ManifestEnvelope, type ObjectsEnvelope } from './taxii-http.js';

const ALL = TAXII_COLLECTIONS[0]?.id ?? '';
const SHARED = STIX_SHARED_OBJECTS.length;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** How many IOCs of each type the suite stores. */
const COUNTS: Array<[IocType, number]> = [
  ['ipv4', 5],
  ['ipv6', 2],
  ['domain', 3],
  ['url', 2],
  ['md5', 1],
  ['sha1', 1],
  ['sha256', 2],
  ['sha512', 1],
  ['cve', 2],
  ['email', 1],
  ['mitre-attack', 1],
];
const TOTAL = COUNTS.reduce((n, [, c]) => n + c, 0);
const count = (types: readonly IocType[]) => COUNTS.filter(([t]) => types.includes(t)).reduce((n, [, c]) => n + c, 0);

describe.each(DATABASE_KINDS)('TAXII 2.1 on %s', (kind) => {
  let api: RunningApi;
  let pro: string;
  let free: string;
  let metered: string;
  const get = <T>(path: string, key: string | null = pro, headers: Record<string, string> = {}) =>
    taxiiGet<T>(api.url, path, key, headers);

  beforeAll(async () => {
    api = await startApi(kind, { metered: { per_minute: 20, features: 'all' } });
    pro = (await newKey(api.deps, 'pro')).key;
    free = (await newKey(api.deps, 'free')).key;
    metered = (await newKey(api.deps, 'metered')).key;
    const candidates = COUNTS.flatMap(([type, n]) => Array.from({ length: n }, (_, i) => candidate(i + 1, { type })));
    await ingest(api.store, candidates);
  });
  afterAll(async () => api?.close());

  describe('discovery and API root', () => {
    it.each(['/taxii2/', '/taxii2', '/api/taxii2/', '/api/taxii2'])('discovery at %s names the API root', async (path) => {
      const r = await get<{ title: string; default: string; api_roots: string[] }>(path);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ title: 'SOC Defenders TAXII Server', default: '/api/taxii2/api/', api_roots: ['/api/taxii2/api/'] });
    });

    it.each([`${ROOT}/`, ROOT])('API root at %s', async (path) => {
      const r = await get<{ title: string; versions: string[]; max_content_length: number }>(path);
      expect(r.status).toBe(200);
      expect(r.body.versions).toEqual([TAXII]);
      expect(r.body.max_content_length).toBeGreaterThan(0);
    });

    it('has no status resources', async () => {
      for (const path of [`${ROOT}/status/2d086da7-4bdc-4f91-900e-d77486753710/`, `${ROOT}/status/x`]) {
        const r = await get<{ title: string; http_status: string }>(path);
        expect(r.status).toBe(404);
        expect(r.body).toMatchObject({ title: 'Not Found', http_status: '404' });
      }
    });

    it('answers unknown API roots and paths with a TAXII 404', async () => {
      for (const path of ['/api/taxii2/other/', '/api/taxii2/api/nothing/', '/taxii2/api/']) {
        const r = await get<{ http_status: string }>(path);
        expect(r.status, path).toBe(404);
        expect(r.body.http_status).toBe('404');
      }
    });
  });

  describe('collections', () => {
    it('lists the four collections with fixed UUIDv4 ids, titles and aliases, read-only', async () => {
      for (const path of [`${ROOT}/collections/`, `${ROOT}/collections`]) {
        const r = await get<{ collections: Array<Record<string, unknown>> }>(path);
        expect(r.status).toBe(200);
        expect(r.body.collections.map((c) => [c.title, c.alias])).toEqual([
          ['All IOCs', 'all-iocs'],
          ['IPs only', 'ip-addresses'],
          ['Hashes only', 'file-hashes'],
          ['CVEs', 'cves'],
        ]);
        for (const c of r.body.collections) {
          expect(c.id).toMatch(UUID_V4);
          expect(c).toMatchObject({ can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'] });
        }
      }
    });

    it.each(TAXII_COLLECTIONS.flatMap((c) => [c.id, c.alias, ...c.formerAliases].map((k) => [k, c.id] as const)))(
      'finds %s',
      async (key, id) => {
        for (const path of [`${ROOT}/collections/${key}/`, `${ROOT}/collections/${key}`]) {
          const r = await get<{ id: string }>(path);
          expect(r.status).toBe(200);
          expect(r.body.id).toBe(id);
        }
      },
    );

    it('answers an unknown collection with 404 on every endpoint', async () => {
      for (const tail of ['', 'objects/', 'manifest/', `objects/indicator--${iocId('ipv4', valueOf('ipv4', 1))}/`]) {
        const r = await get<{ error_code: string }>(`${ROOT}/collections/no-such-collection/${tail}`);
        expect(r.status).toBe(404);
        expect(r.body.error_code).toBe('collection_not_found');
      }
    });

    it.each(TAXII_COLLECTIONS.map((c) => [c.title, c] as const))('%s holds the shared objects and its IOC types', async (_t, c) => {
      const r = await get<ObjectsEnvelope>(`${ROOT}/collections/${c.id}/objects/`);
      expect(r.status).toBe(200);
      expect(r.body.more).toBe(false);
      const objects = r.body.objects ?? [];
      expect(objects).toHaveLength(SHARED + count(c.iocTypes));
      expect(objects.slice(0, SHARED).map((o) => o.id)).toEqual(STIX_SHARED_OBJECTS.map((o) => o.id));
      for (const o of objects.slice(SHARED)) {
        expect(o.created_by_ref).toBe(STIX_PRODUCER_ID);
        expect(o.spec_version).toBe('2.1');
      }
    });
  });

  describe('objects, manifest and paging', () => {
    it('pages by next with more, next and the X-TAXII-Date-Added headers', async () => {
      const seen: string[] = [];
      const added: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const r = await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/${qs({ limit: 4, next })}`);
        expect(r.status).toBe(200);
        const objects = r.body.objects ?? [];
        expect(objects.length).toBeLessThanOrEqual(4);
        if (r.body.more) {
          expect(objects).toHaveLength(4);
          expect(typeof r.body.next).toBe('string');
        } else expect(r.body).not.toHaveProperty('next');
        const m = await get<ManifestEnvelope>(`${ROOT}/collections/all-iocs/manifest/${qs({ limit: 4, next })}`);
        expect(m.body.objects?.map((o) => o.id)).toEqual(objects.map((o) => o.id));
        const dates = (m.body.objects ?? []).map((o) => o.date_added);
        expect(r.headers.get('x-taxii-date-added-first')).toBe(dates[0]);
        expect(r.headers.get('x-taxii-date-added-last')).toBe(dates[dates.length - 1]);
        seen.push(...objects.map((o) => o.id));
        added.push(...dates);
        next = r.body.next;
        pages++;
      } while (next !== undefined);
      expect(pages).toBe(Math.ceil((SHARED + TOTAL) / 4));
      expect(new Set(seen).size).toBe(SHARED + TOTAL);
      for (const d of added) expect(d).toMatch(MICROS);
      expect([...added].sort()).toEqual(added);
      expect(new Set(added).size).toBe(added.length);
    });

    it('describes each object in the manifest by id, date_added, version and media type', async () => {
      const r = await get<ManifestEnvelope>(`${ROOT}/collections/cves/manifest/`);
      const objects = await get<ObjectsEnvelope>(`${ROOT}/collections/cves/objects/`);
      const byId = new Map((objects.body.objects ?? []).map((o) => [o.id, o]));
      for (const m of r.body.objects ?? []) {
        const o = byId.get(m.id);
        expect(m.media_type).toBe('application/stix+json;version=2.1');
        // The same instant as the object's modified (or created), in TAXII's microsecond form.
        expect(m.version).toBe(toMicroTimestamp(String(o?.modified ?? o?.created)));
        // An IOC object is added to the collection by the version that made it: date_added = modified.
        if (o?.type === 'vulnerability') expect(m.date_added).toBe(m.version);
      }
    });

    it('resumes from added_after = X-TAXII-Date-Added-Last exactly where next would', async () => {
      const first = await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/?limit=9`);
      const byNext = await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/${qs({ limit: 9, next: first.body.next })}`);
      const last = first.headers.get('x-taxii-date-added-last') ?? '';
      const byDate = await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/${qs({ limit: 9, added_after: last })}`);
      expect(byDate.body.objects?.map((o) => o.id)).toEqual(byNext.body.objects?.map((o) => o.id));
      // Both at once (OpenCTI sends them together) is the same again.
      const both = await get<ObjectsEnvelope>(
        `${ROOT}/collections/all-iocs/objects/${qs({ limit: 9, next: first.body.next, added_after: last })}`,
      );
      expect(both.body.objects?.map((o) => o.id)).toEqual(byNext.body.objects?.map((o) => o.id));
    });

    it('answers a page past the end without objects, with the resume point in both headers', async () => {
      const all = await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/`);
      const last = all.headers.get('x-taxii-date-added-last') ?? '';
      const r = await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/${qs({ added_after: last })}`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ more: false });
      expect(r.headers.get('x-taxii-date-added-first')).toBe(last);
      expect(r.headers.get('x-taxii-date-added-last')).toBe(last);
      const m = await get<ManifestEnvelope>(`${ROOT}/collections/all-iocs/manifest/${qs({ added_after: last })}`);
      expect(m.body).toEqual({ more: false });
    });

    it('treats added_after as strictly after, in any RFC 3339 form', async () => {
      const m = await get<ManifestEnvelope>(`${ROOT}/collections/all-iocs/manifest/`);
      const entries = m.body.objects ?? [];
      const pivot = entries[SHARED + 3];
      if (!pivot) throw new Error('too few objects');
      const after = await get<ManifestEnvelope>(`${ROOT}/collections/all-iocs/manifest/${qs({ added_after: pivot.date_added })}`);
      expect(after.body.objects?.[0]?.id).toBe(entries[SHARED + 4]?.id);
      // The same instant written with an offset.
      const offset = new Date(Date.parse(pivot.date_added) + 2 * 3600_000).toISOString().replace('Z', '');
      const shifted = `${offset.slice(0, 23)}${pivot.date_added.slice(23, 26)}+02:00`;
      const again = await get<ManifestEnvelope>(`${ROOT}/collections/all-iocs/manifest/${qs({ added_after: shifted })}`);
      expect(again.body.objects?.map((o) => o.id)).toEqual(after.body.objects?.map((o) => o.id));
    });

    it('filters by match[type], match[id], match[version] and match[spec_version]', async () => {
      const path = `${ROOT}/collections/all-iocs/objects/`;
      const types = async (q: Record<string, string>) => ((await get<ObjectsEnvelope>(path + qs(q))).body.objects ?? []).map((o) => o.type);
      expect(await types({ 'match[type]': 'vulnerability' })).toEqual(['vulnerability', 'vulnerability']);
      expect(await types({ 'match[type]': 'attack-pattern,identity' })).toEqual(['identity', 'attack-pattern']);
      expect((await types({ 'match[type]': 'indicator' })).length).toBe(TOTAL - 3);
      expect(await types({ 'match[type]': 'malware' })).toEqual([]);
      expect((await types({ 'match[type]': 'marking-definition' })).length).toBe(SHARED - 1);

      const ip = `indicator--${iocId('ipv4', valueOf('ipv4', 2))}`;
      const cve = `vulnerability--${iocId('cve', valueOf('cve', 1))}`;
      const byId = await get<ObjectsEnvelope>(path + qs({ 'match[id]': `${cve},${ip},${STIX_PRODUCER_ID}` }));
      expect(byId.body.objects?.map((o) => o.id).sort()).toEqual([cve, ip, STIX_PRODUCER_ID].sort());
      // An id of the wrong type prefix, or of another collection, matches nothing.
      const wrong = `vulnerability--${iocId('ipv4', valueOf('ipv4', 2))}`;
      expect((await get<ObjectsEnvelope>(path + qs({ 'match[id]': wrong }))).body).toEqual({ more: false });
      expect((await get<ObjectsEnvelope>(`${ROOT}/collections/cves/objects/${qs({ 'match[id]': ip })}`)).body).toEqual({ more: false });

      const one = byId.body.objects?.find((o) => o.id === ip);
      for (const v of ['first', 'last', 'all', String(one?.modified)]) {
        const r = await get<ObjectsEnvelope>(path + qs({ 'match[id]': ip, 'match[version]': v }));
        expect(r.body.objects?.map((o) => o.id), v).toEqual([ip]);
      }
      const byVersion = await get<ObjectsEnvelope>(path + qs({ 'match[version]': String(one?.modified) }));
      expect(byVersion.body.objects?.map((o) => o.id)).toEqual([ip]);
      const none = await get<ObjectsEnvelope>(path + qs({ 'match[id]': ip, 'match[version]': '2001-01-01T00:00:00.000Z' }));
      expect(none.body).toEqual({ more: false });

      expect((await get<ObjectsEnvelope>(path + qs({ 'match[spec_version]': '2.0' }))).body).toEqual({ more: false });
      const v21 = await get<ObjectsEnvelope>(path + qs({ 'match[spec_version]': '2.0,2.1' }));
      expect(v21.body.objects).toHaveLength(SHARED + TOTAL);
    });

    it('caps limit at 1000 and rejects malformed filters with a TAXII 400', async () => {
      const big = await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/?limit=5000`);
      expect(big.status).toBe(200);
      expect(big.body.objects).toHaveLength(SHARED + TOTAL);
      const bad: Array<[string, string]> = [
        ['limit', '0'],
        ['limit', '-20'],
        ['limit', 'ten'],
        ['added_after', 'yesterday'],
        ['added_after', '2026-02-30T00:00:00Z'],
        ['match[version]', 'newest'],
        ['match[spec_version]', 'two'],
        ['next', 'garbage'],
        ['next', Buffer.from('t1.5.2026-01-01T00:00:00.000000Z.x.y').toString('base64url')],
      ];
      for (const [param, value] of bad) {
        const r = await get<{ http_status: string; details: { parameter: string } }>(
          `${ROOT}/collections/all-iocs/objects/${qs({ [param]: value })}`,
        );
        expect(r.status, `${param}=${value}`).toBe(400);
        expect(r.body).toMatchObject({ title: 'Bad Request', http_status: '400', details: { parameter: param } });
      }
    });

    it('refuses a next issued for other filters or another collection', async () => {
      const first = await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/?limit=2`);
      const next = first.body.next ?? '';
      for (const path of [
        `${ROOT}/collections/all-iocs/objects/${qs({ next, 'match[type]': 'indicator' })}`,
        `${ROOT}/collections/ip-addresses/objects/${qs({ next })}`,
      ]) {
        const r = await get<{ details: { parameter: string } }>(path);
        expect(r.status).toBe(400);
        expect(r.body.details.parameter).toBe('next');
      }
      // The alias and the id are the same collection: the token works with both.
      const byId = await get<ObjectsEnvelope>(`${ROOT}/collections/${ALL}/objects/${qs({ next, limit: 2 })}`);
      expect(byId.status).toBe(200);
    });
  });

  describe('objects by id and versions', () => {
    const ip = () => `indicator--${iocId('ipv4', valueOf('ipv4', 3))}`;

    it('serves one object by id, with and without the trailing slash', async () => {
      for (const path of [`${ROOT}/collections/ip-addresses/objects/${ip()}/`, `${ROOT}/collections/ip-addresses/objects/${ip()}`]) {
        const r = await get<ObjectsEnvelope>(path);
        expect(r.status).toBe(200);
        expect(r.body.more).toBe(false);
        expect(r.body.objects?.map((o) => o.id)).toEqual([ip()]);
        expect(r.headers.get('x-taxii-date-added-first')).toMatch(MICROS);
      }
      const marking = STIX_SHARED_OBJECTS[1]?.id ?? '';
      const m = await get<ObjectsEnvelope>(`${ROOT}/collections/cves/objects/${marking}/`);
      expect(m.body.objects?.[0]?.type).toBe('marking-definition');
    });

    it('answers 404 for an object the collection does not hold', async () => {
      for (const path of [
        `${ROOT}/collections/cves/objects/${ip()}/`,
        `${ROOT}/collections/all-iocs/objects/indicator--00000000-0000-4000-8000-000000000000/`,
        `${ROOT}/collections/all-iocs/objects/not-an-id/`,
        `${ROOT}/collections/cves/objects/${ip()}/versions/`,
      ]) {
        const r = await get<{ error_code: string }>(path);
        expect(r.status, path).toBe(404);
        expect(r.body.error_code).toBe('object_not_found');
      }
    });

    it('lists the versions of an object', async () => {
      const o = await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/${ip()}/`);
      const r = await get<{ more: boolean; versions: string[] }>(`${ROOT}/collections/all-iocs/objects/${ip()}/versions/`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ more: false, versions: [o.body.objects?.[0]?.modified] });
      expect(r.headers.get('x-taxii-date-added-last')).toMatch(MICROS);
    });

    it('publishes a revoked IOC as a new version with revoked: true', async () => {
      const before = (await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/${ip()}/`)).body.objects?.[0];
      const last = (await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/`)).headers.get('x-taxii-date-added-last') ?? '';
      await api.store.setStatus(iocId('ipv4', valueOf('ipv4', 3)), 'revoked', new Date());
      const poll = await get<ObjectsEnvelope>(`${ROOT}/collections/all-iocs/objects/${qs({ added_after: last })}`);
      expect(poll.body.objects).toHaveLength(1);
      const after = poll.body.objects?.[0];
      expect(after).toMatchObject({ id: ip(), revoked: true, created: before?.created });
      expect(String(after?.modified) > String(before?.modified)).toBe(true);
      const versions = await get<{ versions: string[] }>(`${ROOT}/collections/all-iocs/objects/${ip()}/versions/`);
      expect(versions.body.versions).toEqual([after?.modified]);
    });
  });

  describe('authentication, plans, negotiation, quota', () => {
    const objects = `${ROOT}/collections/all-iocs/objects/?limit=1`;

    it('challenges with Basic on missing or bad credentials', async () => {
      for (const key of [null, 'sk_live_00000000000000000000000000000000', 'nonsense']) {
        const r = await get<{ title: string; http_status: string }>(objects, key);
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect(r.body).toMatchObject({ title: 'Unauthorized', http_status: '401' });
      }
    });

    it('accepts Basic with user apikey or empty, and Bearer', async () => {
      for (const authorization of [basic(pro, 'apikey'), basic(pro, ''), `Bearer ${pro}`]) {
        const r = await get(objects, null, { authorization });
        expect(r.status, authorization.split(' ')[0]).toBe(200);
      }
    });

    it('refuses a free-plan key with 403 on every endpoint', async () => {
      for (const path of ['/taxii2/', `${ROOT}/`, `${ROOT}/collections/`, objects]) {
        const r = await get<{ title: string; http_status: string }>(path, free);
        expect(r.status).toBe(403);
        expect(r.body).toMatchObject({ title: 'Forbidden', http_status: '403' });
      }
    });

    it.each([
      [TAXII, 200],
      ['application/taxii+json', 200],
      ['application/taxii+json; version=2.1', 200],
      ['application/json', 200],
      ['*/*', 200],
      ['application/json, text/plain, */*', 200],
      ['', 200],
      ['application/taxii+json;version=2.0', 406],
      ['text/html', 406],
      ['application/stix+json;version=2.1', 406],
      ['application/taxii+json;q=0', 406],
    ])('Accept %j → %i', async (accept, status) => {
      const r = await get<{ http_status?: string }>(objects, pro, { accept });
      expect(r.status).toBe(status);
      if (status !== 200) expect(r.body.http_status).toBe(String(status));
    });

    it('is read-only', async () => {
      const res = await fetch(`${api.url}${ROOT}/collections/all-iocs/objects/`, {
        method: 'POST',
        headers: { accept: TAXII, 'content-type': TAXII, authorization: basic(pro) },
        body: JSON.stringify({ objects: [] }),
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toBe(TAXII);
    });

    it('counts object requests 2.5 and the others 1', async () => {
      const remaining = async (path: string) => Number((await get(path, metered)).headers.get('x-ratelimit-remaining'));
      const a = await remaining(`${ROOT}/collections/`);
      const b = await remaining(`${ROOT}/collections/all-iocs/objects/?limit=1`);
      const c = await remaining(`${ROOT}/collections/all-iocs/manifest/?limit=1`);
      const d = await remaining(`${ROOT}/collections/all-iocs/objects/?limit=1`);
      // 20 per minute: 20-1 = 19, 19-2.5 = 16.5 (16 shown), 16.5-1 = 15.5 (15), 15.5-2.5 = 13.
      if (a === 19) expect([b, c, d]).toEqual([16, 15, 13]);
      else expect(a - d).toBe(6); // the minute rolled over between requests: only check the sum
    });

    it('answers 429 as a TAXII error with Retry-After', async () => {
      let last: Awaited<ReturnType<typeof get<{ http_status: string }>>> | undefined;
      for (let i = 0; i < 12; i++) {
        last = await get<{ http_status: string }>(`${ROOT}/collections/all-iocs/objects/?limit=1`, metered);
        if (last.status === 429) break;
      }
      expect(last?.status).toBe(429);
      expect(last?.body.http_status).toBe('429');
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    });
  });
});
