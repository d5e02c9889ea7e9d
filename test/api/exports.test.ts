/**
 * The document exports over HTTP against a real database: plan checks, the shared filters and
 * paging, media types, and each format read back by an independent reader (stix2-validator,
 * PyMISP, Python's XML parser, the strict CEF and RFC 5424 parsers), hostile text included.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocCandidate, IocRecord } from '../../src/domain/ioc.js';
import type { IocType } from '../../src/domain/vocabulary.js';
import { parseCef } from '../export/cef-spec-parser.js';
import { HOSTILE_TEXTS } from '../export/hostile-records.js';
import { parseSyslog, sdValues } from '../export/syslog-rfc5424-parser.js';
import { hasPyMisp, loadWithPyMisp } from '../interop/misp-load.js';
import { parseOpenIoc } from '../interop/openioc-parse.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { requireDependency } from '../support/require.js';
import { candidate, get, ingest, newKey, startApi, type RunningApi } from './support/server.js';
import { basic, ROOT, TAXII } from './taxii-http.js';

const PYTHON = resolve('.venv/bin/python');
const hasValidator = requireDependency(
  'stix2-validator',
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import stix2validator'], { stdio: 'ignore' }).status === 0,
  'install .ci/requirements-interop.txt into .venv',
);

interface ValidatorReport {
  checked: number;
  failures: Array<{ id: string; profile: string; errors: string[] }>;
}

function validateStix(json: string): ValidatorReport {
  const run = spawnSync(PYTHON, ['test/interop/py/validate_stix.py'], { input: json, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`validate_stix.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as ValidatorReport;
}

interface StixObjectLike {
  type: string;
  id: string;
  object_marking_refs?: string[];
  [k: string]: unknown;
}

const TYPES: IocType[] = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256', 'sha512', 'email', 'cve', 'mitre-attack'];
const EXPORTS = ['/api/v1/iocs/stix', '/api/v1/iocs/misp', '/api/v1/iocs/openioc', '/api/v1/iocs/cef'];
const TLP_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';

/** One IOC of every type, hostile text in free-text fields, a CIDR block, an attacker IP. */
function fixtures(): IocCandidate[] {
  const out: IocCandidate[] = TYPES.map((type, i) => candidate(100 + i, { type, confidence: 'high' }));
  HOSTILE_TEXTS.forEach((text, i) => {
    const c = candidate(200 + i, { type: 'domain', tags: [text, 'plain'] });
    out.push({ ...c, context: text, malware: text, source: { ...c.source, feed_name: `feed ${i} ${text}`, context: text } });
  });
  const cidr = candidate(300, { type: 'ipv4' });
  out.push({ ...cidr, value: '45.9.148.0/24' });
  const scanner = candidate(301, { type: 'ipv4' });
  out.push({ ...scanner, threat_type: 'scanner' });
  const red = candidate(302, { type: 'domain' });
  out.push({ ...red, tlp: 'red' });
  return out;
}

async function listAll(api: RunningApi, key: string, query = ''): Promise<IocRecord[]> {
  const res = await get(api, `/api/v1/iocs?limit=1000${query}`, key);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: IocRecord[] }).data;
}

describe.each(DATABASE_KINDS)('document exports (%s)', (kind) => {
  let api: RunningApi;
  let pro: string;
  let free: string;
  let records: IocRecord[];

  beforeAll(async () => {
    api = await startApi(kind);
    pro = (await newKey(api.deps, 'pro')).key;
    free = (await newKey(api.deps, 'free')).key;
    await ingest(api.store, fixtures());
    records = await listAll(api, pro);
  });
  afterAll(async () => api?.close());

  it.each(EXPORTS)('%s needs a key and the pro plan', async (path) => {
    const anonymous = await get(api, path);
    expect(anonymous.status).toBe(401);
    const res = await get(api, path, free);
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('plan_upgrade_required');
    expect(body.error.message).toMatch(/free plan.*pro plan/);
  });

  it.each(EXPORTS)('%s applies the shared filter checks', async (path) => {
    expect((await get(api, `${path}?limit=10001`, pro)).status).toBe(400);
    expect((await get(api, `${path}?type=bogus`, pro)).status).toBe(400);
    const old = await get(api, `${path}?since=2000-01-01T00:00:00Z`, pro);
    expect(old.status).toBe(403);
    expect(((await old.json()) as { error: { code: string } }).error.code).toBe('lookback_exceeded');
  });

  describe('STIX', () => {
    it.skipIf(!hasValidator)('answers a bundle that stix2-validator accepts, identity and markings first', async () => {
      const res = await get(api, '/api/v1/iocs/stix?limit=1000', pro);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('x-total-count')).toBe(String(records.length));
      const text = await res.text();
      const bundle = JSON.parse(text) as { type: string; id: string; objects: StixObjectLike[] };
      expect(bundle.type).toBe('bundle');
      expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
      expect(bundle.objects[0]?.type).toBe('identity');
      expect(bundle.objects.slice(1, 6).map((o) => o.type)).toEqual(Array(5).fill('marking-definition'));
      const iocs = bundle.objects.slice(6);
      expect(iocs.map((o) => o.id.split('--')[1])).toEqual(records.map((r) => r.id));
      expect(iocs.filter((o) => o.type === 'vulnerability')).toHaveLength(1);
      const report = validateStix(text);
      expect(report.checked).toBe(bundle.objects.length);
      expect(report.failures.slice(0, 5)).toEqual([]);
    });

    it('serves the TAXII collection objects, byte for byte the same', async () => {
      const bundle = (await (await get(api, '/api/v1/iocs/stix?limit=1000', pro)).json()) as { objects: StixObjectLike[] };
      const res = await fetch(`${api.url}${ROOT}/collections/all-iocs/objects/?limit=1000`, {
        headers: { accept: TAXII, authorization: basic(pro) },
      });
      expect(res.status).toBe(200);
      const taxii = (await res.json()) as { objects: StixObjectLike[] };
      const byId = new Map(taxii.objects.map((o) => [o.id, o]));
      for (const o of bundle.objects) expect(o).toEqual(byId.get(o.id));
    });

    it('honours Accept: application/stix+json;version=2.1, format=objects and the include flags', async () => {
      const stix = await get(api, '/api/v1/iocs/stix?type=domain&limit=3', pro, { accept: 'application/stix+json;version=2.1' });
      expect(stix.headers.get('content-type')).toBe('application/stix+json;version=2.1');
      const objects = (await (
        await get(api, '/api/v1/iocs/stix?type=domain&limit=3&format=objects&include_identity=false&include_markings=false', pro)
      ).json()) as StixObjectLike[];
      expect(Array.isArray(objects)).toBe(true);
      expect(objects.map((o) => o.type)).toEqual(['indicator', 'indicator', 'indicator']);
    });

    it('raises markings with tlp= but never lowers an IOC’s own', async () => {
      const red = (await (await get(api, '/api/v1/iocs/stix?tlp=red&limit=1000&include_markings=false', pro)).json()) as {
        objects: StixObjectLike[];
      };
      for (const o of red.objects.slice(1)) expect(o.object_marking_refs).toEqual([TLP_RED]);
      const clear = (await (await get(api, '/api/v1/iocs/stix?tlp=clear&type=domain&limit=1000', pro)).json()) as {
        objects: StixObjectLike[];
      };
      const redDomain = records.find((r) => r.tlp === 'red');
      expect(clear.objects.find((o) => o.id === `indicator--${redDomain?.id}`)?.object_marking_refs).toEqual([TLP_RED]);
    });

    it('reads tlp=amber+strict written without percent-encoding', async () => {
      const res = await get(api, '/api/v1/iocs/stix?tlp=amber+strict&type=domain&limit=1&include_identity=false&include_markings=false', pro);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { objects: StixObjectLike[] };
      expect(body.objects[0]?.object_marking_refs).toEqual(['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003']);
    });

    it('answers an empty bundle without an empty objects list', async () => {
      const body = (await (
        await get(api, '/api/v1/iocs/stix?confidence=low&include_identity=false&include_markings=false', pro)
      ).json()) as Record<string, unknown>;
      expect(body.type).toBe('bundle');
      expect(body).not.toHaveProperty('objects');
    });
  });

  describe('MISP', () => {
    it.skipIf(!hasPyMisp)('answers one event PyMISP loads, an attribute per IOC, hostile text intact', async () => {
      const res = await get(api, '/api/v1/iocs/misp?limit=1000', pro);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const event = loadWithPyMisp(await res.text());
      expect(event.attributes.map((a) => a.uuid)).toEqual(records.map((r) => r.id));
      expect(event.attributes.map((a) => a.value)).toEqual(records.map((r) => r.value));
      for (const text of HOSTILE_TEXTS) {
        const a = event.attributes.find((x) => x.tags.includes(text));
        expect(a?.comment.startsWith(text.trim()), text).toBe(true);
      }
      const scanner = records.find((r) => r.threat_type === 'scanner');
      expect(event.attributes.find((a) => a.uuid === scanner?.id)?.type).toBe('ip-src');
      expect(event.attributes.find((a) => a.value === '45.9.148.0/24')?.type).toBe('ip-dst');
      expect(event.tags).toEqual(['tlp:red']);
    });

    it('names the same query with the same event uuid, another query with another', async () => {
      const uuid = async (q: string): Promise<string> =>
        ((await (await get(api, `/api/v1/iocs/misp${q}`, pro)).json()) as { Event: { uuid: string } }).Event.uuid;
      const a = await uuid('?type=ipv4,domain&confidence=high');
      expect(await uuid('?confidence=high&type=domain,ipv4')).toBe(a);
      expect(await uuid('?type=ipv4&confidence=high')).not.toBe(a);
    });
  });

  describe('OpenIOC', () => {
    it('answers an OpenIOC 1.0 document an XML parser reads, an item per active IOC it can express', async () => {
      const res = await get(api, '/api/v1/iocs/openioc?limit=1000', pro);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      const doc = parseOpenIoc(await res.text());
      expect(doc.errors).toEqual([]);
      const expressible = records.filter((r) => !['cve', 'mitre-attack'].includes(r.type) && !(r.type.startsWith('ipv') && r.value.includes('/')));
      expect(doc.items.map((i) => [i.id, i.content])).toEqual(expressible.map((r) => [r.id, r.value]));
      for (const text of HOSTILE_TEXTS) expect(doc.items.some((i) => i.comment?.startsWith(text.trim()))).toBe(true);
      expect(res.headers.get('x-total-count')).toBe(String(records.filter((r) => !['cve', 'mitre-attack'].includes(r.type)).length));
    });

    it('refuses what an OpenIOC detection cannot hold', async () => {
      const cve = await get(api, '/api/v1/iocs/openioc?type=cve', pro);
      expect(cve.status).toBe(400);
      expect(((await cve.json()) as { error: { code: string } }).error.code).toBe('invalid_parameter');
      expect((await get(api, '/api/v1/iocs/openioc?status=all', pro)).status).toBe(400);
      const mixed = parseOpenIoc(await (await get(api, '/api/v1/iocs/openioc?type=cve,md5', pro)).text());
      expect(mixed.items.map((i) => i.search)).toEqual(['FileItem/Md5sum']);
    });
  });

  describe('CEF and syslog', () => {
    it('answers one CEF line per IOC that parses back to the IOC, hostile text intact', async () => {
      const res = await get(api, '/api/v1/iocs/cef?limit=1000', pro);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      const lines = (await res.text()).split('\n');
      expect(lines.pop()).toBe('');
      const events = lines.map(parseCef);
      expect(events.map((e) => e.extension.externalId)).toEqual(records.map((r) => r.id));
      events.forEach((e, i) => expect(Object.values(e.extension)).toContain(records[i]?.value));
      for (const text of HOSTILE_TEXTS) expect(events.some((e) => e.extension.msg === text.trim())).toBe(true);
    });

    it('answers RFC 5424 messages with the IOC as structured data and the CEF line as MSG', async () => {
      const res = await get(api, '/api/v1/iocs/cef?format=syslog&limit=1000', pro);
      expect(res.status).toBe(200);
      const lines = (await res.text()).split('\n');
      expect(lines.pop()).toBe('');
      const messages = lines.map(parseSyslog);
      messages.forEach((m, i) => {
        const el = m.structuredData[0];
        if (!el || m.msg === null) throw new Error('incomplete message');
        expect(sdValues(el, 'id')).toEqual([records[i]?.id]);
        expect(sdValues(el, 'value')).toEqual([records[i]?.value]);
        expect(parseCef(m.msg).extension.externalId).toBe(records[i]?.id);
      });
    });
  });

  it.each(['/api/v1/iocs/cef', '/api/v1/iocs/misp', '/api/v1/iocs/stix?format=objects&include_identity=false&include_markings=false'])(
    '%s pages by cursor like /iocs: every IOC once',
    async (path) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 50; pages++) {
        const sep = path.includes('?') ? '&' : '?';
        const res = await get(api, `${path}${sep}limit=7${cursor ? `&cursor=${cursor}` : ''}`, pro);
        expect(res.status).toBe(200);
        const text = await res.text();
        if (path.includes('/cef')) ids.push(...text.split('\n').filter(Boolean).map((l) => parseCef(l).extension.externalId as string));
        else if (path.includes('/misp')) ids.push(...(JSON.parse(text) as { Event: { Attribute: Array<{ uuid: string }> } }).Event.Attribute.map((a) => a.uuid));
        else ids.push(...(JSON.parse(text) as StixObjectLike[]).map((o) => o.id.split('--')[1] as string));
        cursor = res.headers.get('x-next-cursor');
        if (res.headers.get('x-has-more') !== 'true') break;
      }
      expect(ids).toEqual(records.map((r) => r.id));
    },
  );

  it('streams pages larger than one database chunk', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => candidate(10_000 + i, { type: 'sha256' }));
    await ingest(api.store, many);
    const res = await get(api, '/api/v1/iocs/cef?type=sha256&limit=1400', pro);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-has-more')).toBe('true');
    const lines = (await res.text()).split('\n').filter(Boolean);
    expect(lines).toHaveLength(1400);
    const misp = (await (await get(api, '/api/v1/iocs/misp?type=sha256&limit=1400', pro)).json()) as { Event: { Attribute: unknown[] } };
    expect(misp.Event.Attribute).toHaveLength(1400);
  });
});
