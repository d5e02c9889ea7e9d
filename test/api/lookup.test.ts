import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LookupBody } from '../../src/api/lookup-view.js';
import { assessRisk } from '../../src/domain/risk.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { errorOf, ioc, literals, ROOMY_PLANS } from './search-fixtures.js';
import { get, newKey, startApi, type RunningApi } from './support/server.js';

const DAY = 86_400_000;
const QUOTED_URL = 'https://evil-example.net/dl?f="x"&p=C:\\Users\\Public\\a.exe';

describe.each(DATABASE_KINDS)('GET /api/v1/lookup (%s)', (kind) => {
  let api: RunningApi;
  let free: string;
  const lookup = async (query: string): Promise<LookupBody> => {
    const res = await get(api, `/api/v1/lookup?${query}`, free);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as LookupBody;
  };

  beforeAll(async () => {
    api = await startApi(kind, ROOMY_PLANS);
    free = (await newKey(api.deps, 'free')).key;
    const now = new Date();
    const seen = new Date(now.getTime() - 2 * DAY).toISOString();
    const ctx = { now, ttlDays: {} };
    await api.store.upsertBatch(
      [
        ioc('ipv4', '185.220.101.4', {
          feed: 'feodo',
          category: 'community',
          confidence: 'high',
          seen,
          techniques: ['T1071', 'T1071.001'],
          threatType: 'botnet_cc',
          malware: 'QakBot',
          tags: ['c2', 'qakbot'],
          context: 'QakBot C2',
        }),
        ioc('url', QUOTED_URL, { feed: 'urlhaus', category: 'threat-intel' }),
        ioc('mitre-attack', 'T1105'),
        ioc('domain', 'allowed.evil-example.net'),
      ],
      ctx,
    );
    // A second source for the IP, in its own batch (sources merge per feed name).
    await api.store.upsertBatch([ioc('ipv4', '185.220.101.4', { feed: 'cisa', category: 'government', confidence: 'high', seen })], ctx);
    await api.store.upsertBatch([ioc('ipv4', '185.220.101.4', { feed: 'cisa', category: 'government', confidence: 'high', seen })], ctx);
    await api.store.applyAllowlist((type, value) => type === 'domain' && value === 'allowed.evil-example.net', now);
    // An IOC last seen 10 days ago with a 1-day TTL, then expired.
    const old = new Date(now.getTime() - 10 * DAY);
    await api.store.upsertBatch([ioc('domain', 'stale.evil-example.net', { seen: old.toISOString() })], { now: old, ttlDays: { domain: 1 } });
    await api.store.expireDue(now);
  });
  afterAll(async () => api?.close());

  it('enriches a known IOC in the hosted (O) shape', async () => {
    const body = await lookup('ioc=185.220.101.4');
    expect(body.meta).toMatchObject({ feed_version: '1.0', source: 'SOC Defenders' });
    const d = body.data;
    expect(d).toMatchObject({
      found: true,
      ioc_value: '185.220.101.4',
      ioc_type: 'ipv4',
      confidence: 'high',
      reporting_sources: 2,
      threat_type: 'botnet_cc',
      malware_family: 'QakBot',
      status: 'active',
    });
    expect(d.tags).toEqual(expect.arrayContaining(['c2', 'qakbot']));
    expect(d.mitre_techniques).toEqual(expect.arrayContaining(['T1071', 'T1071.001']));
    expect(d.sources.map((s) => s.source_feed).sort()).toEqual(['cisa', 'feodo']);
    const cisa = d.sources.find((s) => s.source_feed === 'cisa');
    expect(cisa).toMatchObject({ source_category: 'government', feed_name: 'cisa', category: 'government', confidence: 'high' });
    expect(d.total_occurrences).toBe(d.sources.reduce((s, x) => s + x.occurrence_count, 0));
    expect(d.total_occurrences).toBeGreaterThanOrEqual(2);
    expect(d.first_seen).toBeTruthy();
    expect(d.last_seen).toBeTruthy();
    expect(d.hunting.splunk_query).toContain('dest_ip="185.220.101.4"');
    expect(d.hunting.kql_query).toContain('CommonSecurityLog');
    expect(d.hunting.detection_guidance.length).toBeGreaterThan(10);
  });

  it('computes the documented risk score and returns its factors', async () => {
    const { data } = await lookup('ioc=185.220.101.4');
    const risk = data.risk;
    if (!risk) throw new Error('risk missing');
    // high 40 + one extra source 5 + government 15 + seen 2 days ago 20.
    expect(risk.factors).toMatchObject({ confidence: 40, sources: 5, categories: 15, recency: 20, status_multiplier: 1 });
    expect(risk.score).toBe(80);
    expect(risk.level).toBe('critical');
    const expected = assessRisk(
      { confidence: 'high', sourceCount: 2, categories: ['government', 'community'], lastSeen: data.last_seen ?? '', status: 'active' },
      new Date(),
    );
    expect(risk.score).toBe(expected.score);
  });

  it("adds the hand-written (H) page's flat fields", async () => {
    const body = await lookup('value=185.220.101.4');
    expect(body).toMatchObject({ found: true, value: '185.220.101.4', type: 'ipv4', confidence: 'high', risk_score: 'critical' });
    expect(body.mitre_techniques).toContainEqual({ id: 'T1071', name: 'Application Layer Protocol' });
    expect(body.hunting_queries).toEqual({ splunk: body.data.hunting.splunk_query, kql: body.data.hunting.kql_query });
    expect(body.sources.map((s) => s.feed_name).sort()).toEqual(['cisa', 'feodo']);
  });

  const forms: Array<[string, string, string]> = [
    ['a defanged IP', '185[.]220[.]101[.]4', '185.220.101.4'],
    ['a technique id with a type override (mitre_attack)', 't1105&type=mitre_attack', 'T1105'],
    ['a URL holding quotes and backslashes', encodeURIComponent(QUOTED_URL), QUOTED_URL],
  ];
  for (const [name, q, value] of forms) {
    it(`finds ${name}`, async () => {
      const body = await lookup(`ioc=${q}`);
      expect(body.data.found).toBe(true);
      expect(body.data.ioc_value).toBe(value);
    });
  }

  it('renders hunting queries in which a quoted, backslashed value round-trips', async () => {
    const { data } = await lookup(`ioc=${encodeURIComponent(QUOTED_URL)}`);
    const spl = literals(data.hunting.splunk_query);
    expect(spl.length).toBeGreaterThan(0);
    for (const l of spl) expect(l).toBe(QUOTED_URL);
    expect(literals(data.hunting.kql_query)[0]).toBe(QUOTED_URL);
    expect(data.hunting.kql_query).toContain('let ioc = "https://evil-example.net/dl?f=\\"x\\"&p=C:\\\\Users\\\\Public\\\\a.exe";');
  });

  it('finds expired and allowlisted IOCs with their status', async () => {
    const expired = await lookup('ioc=stale.evil-example.net');
    expect(expired.data).toMatchObject({ found: true, status: 'expired' });
    expect(expired.data.risk?.factors.status_multiplier).toBe(0.5);
    const allowed = await lookup('ioc=allowed.evil-example.net');
    expect(allowed.data).toMatchObject({ found: true, status: 'allowlisted' });
    expect(allowed.data.risk).toMatchObject({ score: 0, level: 'low' });
  });

  it('answers found: false for an unknown observable, with hunting queries and no risk', async () => {
    const body = await lookup('ioc=hxxp://unknown[.]evil-example[.]net/x');
    expect(body.data).toMatchObject({
      found: false,
      ioc_value: 'http://unknown.evil-example.net/x',
      ioc_type: 'url',
      risk: null,
      sources: [],
      total_occurrences: 0,
      status: null,
    });
    expect(body.found).toBe(false);
    expect(body.risk_score).toBeNull();
    expect(body.data.hunting.splunk_query).toContain('url="http://unknown.evil-example.net/x"');
  });

  const invalid: Array<[string, string, string]> = [
    ['no observable', '', 'ioc'],
    ['an empty ioc', 'ioc=', 'ioc'],
    ['junk', `ioc=${encodeURIComponent('not an indicator!!')}`, 'ioc'],
    ['junk given as value', `value=${encodeURIComponent('%%%')}`, 'value'],
    ['SQL', `ioc=${encodeURIComponent("' OR 1=1 --")}`, 'ioc'],
    ['an ioc over 2048 characters', `ioc=${'a'.repeat(2100)}.com`, 'ioc'],
    ['an unknown type', 'ioc=1.2.3.4&type=bogus', 'type'],
    ['a value that is not of the given type', 'ioc=185.220.101.4&type=sha256', 'ioc'],
  ];
  for (const [name, query, parameter] of invalid) {
    it(`refuses ${name} with 400 naming ${parameter}`, async () => {
      const res = await get(api, `/api/v1/lookup?${query}`, free);
      expect(res.status).toBe(400);
      const err = await errorOf(res);
      expect(err.code).toBe('invalid_parameter');
      expect(JSON.stringify(err.details)).toContain(`"${parameter}"`);
    });
  }
});
