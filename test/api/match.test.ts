import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { errorOf, ioc, postJson, ROOMY_PLANS } from './search-fixtures.js';
import { newKey, startApi, type RunningApi } from './support/server.js';

interface MatchBody {
  meta: { generated_at: string; feed_version: string; source: string };
  data: {
    matches: Array<{ observable: string; ioc: IocRecord }>;
    invalid: Array<{ index: number; observable: string; code: string; reason: string }>;
    summary: { submitted: number; unique: number; matched: number; unknown: number; invalid: number };
  };
}

/** 1,200 stored IPs: more than two IN chunks of one type. */
const STORED_IPS = Array.from({ length: 1200 }, (_, i) => `62.204.${Math.floor(i / 250)}.${(i % 250) + 1}`);

describe.each(DATABASE_KINDS)('POST /api/v1/match (%s)', (kind) => {
  let api: RunningApi;
  let free: string;
  let pro: string;
  const match = async (observables: unknown): Promise<MatchBody> => {
    const res = await postJson(api, '/api/v1/match', pro, { observables });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as MatchBody;
  };

  beforeAll(async () => {
    api = await startApi(kind, ROOMY_PLANS);
    free = (await newKey(api.deps, 'free')).key;
    pro = (await newKey(api.deps, 'pro')).key;
    const now = new Date();
    await api.store.upsertBatch(
      [
        ...STORED_IPS.map((ip) => ioc('ipv4', ip)),
        ioc('domain', 'c2.evil-example.net'),
        ioc('url', 'https://c2.evil-example.net/gate.php'),
        ioc('sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'),
        ioc('cve', 'CVE-2024-3400'),
      ],
      { now, ttlDays: {} },
    );
  });
  afterAll(async () => api?.close());

  it('returns the known observables with their IOC records and counts the rest', async () => {
    const body = await match([
      'c2[.]evil-example[.]net',
      'hxxps://c2.evil-example[.]net/gate.php',
      'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709',
      'cve-2024-3400',
      '8.8.8.8',
      'unknown.evil-example.net',
      'not an indicator',
      '',
    ]);
    expect(body.meta).toMatchObject({ feed_version: '1.0', source: 'SOC Defenders' });
    expect(body.data.matches.map((m) => [m.observable, m.ioc.type, m.ioc.value])).toEqual([
      ['c2[.]evil-example[.]net', 'domain', 'c2.evil-example.net'],
      ['hxxps://c2.evil-example[.]net/gate.php', 'url', 'https://c2.evil-example.net/gate.php'],
      ['DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', 'sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
      ['cve-2024-3400', 'cve', 'CVE-2024-3400'],
    ]);
    expect(body.data.matches[0]?.ioc.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.data.summary).toEqual({ submitted: 8, unique: 6, matched: 4, unknown: 2, invalid: 2 });
    expect(body.data.invalid.map((i) => [i.index, i.code])).toEqual([
      [6, 'unknown_type'],
      [7, 'empty'],
    ]);
  });

  it('lists each IOC once when several spellings normalize alike', async () => {
    const body = await match(['c2.evil-example.net', 'C2[.]EVIL-EXAMPLE[.]NET', 'c2(.)evil-example(.)net']);
    expect(body.data.matches.map((m) => m.observable)).toEqual(['c2.evil-example.net']);
    expect(body.data.summary).toMatchObject({ submitted: 3, unique: 1, matched: 1 });
  });

  it('matches 10,000 observables in chunked queries', async () => {
    const unknown = Array.from({ length: 10_000 - STORED_IPS.length }, (_, i) => `91.${Math.floor(i / 250)}.${i % 250}.7`);
    const started = Date.now();
    const body = await match([...STORED_IPS, ...unknown]);
    expect(body.data.summary).toEqual({ submitted: 10_000, unique: 10_000, matched: STORED_IPS.length, unknown: unknown.length, invalid: 0 });
    expect(body.data.matches.map((m) => m.ioc.value)).toEqual(STORED_IPS);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses more than 10,000 observables with 413 payload_too_large', async () => {
    const res = await postJson(api, '/api/v1/match', pro, { observables: Array.from({ length: 10_001 }, () => '1.1.1.1') });
    expect(res.status).toBe(413);
    const err = await errorOf(res);
    expect(err.code).toBe('payload_too_large');
    expect(err.message).toContain('10000');
  });

  it('survives hostile observables', async () => {
    const body = await match(["' OR 1=1 --", "'; DROP TABLE iocs; --", '%', '_', '\\', 'x'.repeat(9000), '"\'"', '\u0000']);
    expect(body.data.matches).toEqual([]);
    expect(body.data.summary.invalid).toBe(8);
    expect(body.data.invalid.every((i) => i.observable.length <= 200)).toBe(true);
    expect((await api.store.counts()).total).toBe(STORED_IPS.length + 4);
  });

  const badBodies: Array<[string, unknown]> = [
    ['no observables field', {}],
    ['observables that is an object', { observables: { a: 'c2.evil-example.net' } }],
    ['a list of objects', { observables: [{ value: 'c2.evil-example.net' }] }],
    ['invalid JSON', '{"observables": ['],
  ];
  for (const [name, body] of badBodies) {
    it(`refuses ${name} with 400`, async () => {
      const res = await postJson(api, '/api/v1/match', pro, body);
      expect(res.status).toBe(400);
      expect(['invalid_body', 'invalid_parameter']).toContain((await errorOf(res)).code);
    });
  }

  it('is a pro feature: 403 naming the plan for a free key', async () => {
    const res = await postJson(api, '/api/v1/match', free, { observables: ['c2.evil-example.net'] });
    expect(res.status).toBe(403);
    const err = await errorOf(res);
    expect(err.code).toBe('plan_upgrade_required');
    expect(err.message).toContain('free');
    expect(err.message).toContain('pro');
  });
});
