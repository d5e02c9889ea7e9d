import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocType } from '../../src/domain/vocabulary.js';
import { iocId } from '../../src/domain/ids.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { hasSharedData } from '../support/shared-data.js';
import { candidate, get, ingest, newKey, startApi, valueOf, type RunningApi } from '../api/support/server.js';
import { parseRules, sigmaSchemaErrors } from '../export/sigma-schema.js';

/**
 * `GET /api/v1/iocs/sigma` over a real database (SQLite and PostgreSQL): plan gate, filters,
 * skipped types, lifecycle, paging, and the streamed path of large pages.
 */

interface Rule {
  id: string;
  title: string;
  status: string;
  detection: Record<string, unknown>;
}

const RULE_TYPES: IocType[] = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256'];
// In IOC_TYPES order, as the export lists them.
const OTHER_TYPES: IocType[] = ['sha512', 'cve', 'email', 'mitre-attack'];
const PER_TYPE = 3;

function rulesOf(text: string): Rule[] {
  expect(text.endsWith('---\n')).toBe(false);
  const rules = parseRules(text) as Rule[];
  for (const r of rules) expect(sigmaSchemaErrors(r)).toEqual([]);
  return rules;
}

describe.runIf(hasSharedData).each(DATABASE_KINDS)('GET /api/v1/iocs/sigma on %s', (kind) => {
  let api: RunningApi;
  let pro: string;
  let free: string;

  beforeAll(async () => {
    api = await startApi(kind);
    pro = (await newKey(api.deps, 'pro')).key;
    free = (await newKey(api.deps, 'free')).key;
    const now = new Date();
    const cands = [...RULE_TYPES, ...OTHER_TYPES].flatMap((type, t) =>
      Array.from({ length: PER_TYPE }, (_, i) => candidate(100 + t * 10 + i, { type, confidence: i === 0 ? 'high' : 'low' })),
    );
    await ingest(api.store, cands, now);
    // One IPv4 IOC that has expired: seen 30 days ago with a 7-day TTL.
    const old = new Date(now.getTime() - 30 * 86_400_000);
    await api.store.upsertBatch([candidate(999, { type: 'ipv4', seenAt: old.toISOString() })], { now: old, ttlDays: { ipv4: 7 } });
    await api.store.expireDue(now);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('needs an API key, and the pro plan', async () => {
    expect((await get(api, '/api/v1/iocs/sigma')).status).toBe(401);
    const r = await get(api, '/api/v1/iocs/sigma', free);
    expect(r.status).toBe(403);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('plan_upgrade_required');
    expect(body.error.message).toMatch(/free/);
  });

  it('answers one rule per active IOC of a rule type, as YAML, with the others counted', async () => {
    const r = await get(api, '/api/v1/iocs/sigma?limit=1000', pro);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/yaml; charset=utf-8');
    expect(r.headers.get('x-ratelimit-limit')).not.toBeNull();
    expect(r.headers.get('x-total-count')).toBe(String(RULE_TYPES.length * PER_TYPE));
    expect(r.headers.get('x-sigma-skipped')).toBe(String(OTHER_TYPES.length * PER_TYPE));
    expect(r.headers.get('x-sigma-skipped-types')).toBe(OTHER_TYPES.map((t) => `${t}=${PER_TYPE}`).join(', '));
    const text = await r.text();
    expect(text.startsWith('# SOC Defenders Sigma rules')).toBe(true);
    expect(text).toContain(`# ${OTHER_TYPES.length * PER_TYPE} matching IOCs have no Sigma rule`);
    const rules = rulesOf(text);
    expect(rules).toHaveLength(RULE_TYPES.length * PER_TYPE);
    expect(new Set(rules.map((x) => x.title)).size).toBe(rules.length);
    expect(rules.every((x) => x.status !== 'deprecated')).toBe(true);
    const ids = new Set(rules.map((x) => x.id));
    for (const [t, type] of RULE_TYPES.entries()) {
      for (let i = 0; i < PER_TYPE; i++) expect(ids).toContain(iocId(type, valueOf(type, 100 + t * 10 + i)));
    }
  });

  it('filters by type, and a filter of types without rules gives an empty export', async () => {
    const r = await get(api, '/api/v1/iocs/sigma?type=domain,cve', pro);
    expect(r.headers.get('x-sigma-skipped-types')).toBe(`cve=${PER_TYPE}`);
    const rules = rulesOf(await r.text());
    expect(rules).toHaveLength(PER_TYPE);
    expect(rules.every((x) => 'selection' in x.detection)).toBe(true);

    const none = await get(api, '/api/v1/iocs/sigma?type=email', pro);
    expect(none.status).toBe(200);
    expect(none.headers.get('x-total-count')).toBe('0');
    expect(none.headers.get('x-sigma-skipped')).toBe(String(PER_TYPE));
    expect(rulesOf(await none.text())).toEqual([]);

    const conf = rulesOf(await (await get(api, '/api/v1/iocs/sigma?confidence=high', pro)).text());
    expect(conf).toHaveLength(RULE_TYPES.length);
  });

  it('with status=all, retires IOCs that are no longer active as status: deprecated', async () => {
    const rules = rulesOf(await (await get(api, '/api/v1/iocs/sigma?status=all&type=ipv4', pro)).text());
    const expired = rules.find((x) => x.id === iocId('ipv4', valueOf('ipv4', 999)));
    expect(expired?.status).toBe('deprecated');
    expect(rules.filter((x) => x.status === 'deprecated')).toHaveLength(1);
  });

  it('pages by cursor over rules, without loss or repeats', async () => {
    const seen: string[] = [];
    let path = '/api/v1/iocs/sigma?limit=4';
    for (let n = 0; n < 20; n++) {
      const r = await get(api, path, pro);
      seen.push(...rulesOf(await r.text()).map((x) => x.id));
      if (r.headers.get('x-has-more') !== 'true') break;
      path = `/api/v1/iocs/sigma?limit=4&cursor=${encodeURIComponent(r.headers.get('x-next-cursor') ?? '')}`;
    }
    expect(seen).toHaveLength(RULE_TYPES.length * PER_TYPE);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('rejects a limit over the plan and an unknown type with the shared errors', async () => {
    expect((await get(api, '/api/v1/iocs/sigma?limit=10001', pro)).status).toBe(400);
    const bad = await get(api, '/api/v1/iocs/sigma?type=nope', pro);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_parameter');
  });

  it('streams a page larger than one database chunk', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => candidate(10_000 + i, { type: 'domain' }));
    await ingest(api.store, many);
    const r = await get(api, '/api/v1/iocs/sigma?type=domain&limit=2400', pro);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-has-more')).toBe('true');
    const rules = rulesOf(await r.text());
    expect(rules).toHaveLength(2400);
    expect(new Set(rules.map((x) => x.title)).size).toBe(2400);
  });
});
