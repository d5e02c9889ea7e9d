import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { errorOf, ioc, ROOMY_PLANS } from './search-fixtures.js';
import { get, newKey, startApi, type RunningApi } from './support/server.js';

interface SearchBody {
  meta: { generated_at: string; feed_version: string; source: string };
  data: {
    found: boolean;
    query: string;
    match_type: string;
    matches: IocRecord[];
    relatedIOCs: IocRecord[];
    meta: { total_matches: number; related_count: number; search_time_ms: number };
  };
}

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const WILD_URL = 'http://files.evil-example.net/a%25b_c/get.php';
const REPORT = 'https://reports.example/apt-report-1';

describe.each(DATABASE_KINDS)('GET /api/v1/iocs/search (%s)', (kind) => {
  let api: RunningApi;
  let free: string;
  let pro: string;
  const search = async (query: string, key = free): Promise<SearchBody> => {
    const res = await get(api, `/api/v1/iocs/search?${query}`, key);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as SearchBody;
  };

  beforeAll(async () => {
    api = await startApi(kind, ROOMY_PLANS);
    free = (await newKey(api.deps, 'free')).key;
    pro = (await newKey(api.deps, 'pro')).key;
    const now = new Date();
    await api.store.upsertBatch(
      [
        ioc('ipv4', '45.33.32.156', { referenceUrl: REPORT }),
        ioc('domain', 'login-verify.evil-example.net', { referenceUrl: REPORT }),
        ioc('url', 'https://login-verify.evil-example.net/secure/index.php', { referenceUrl: REPORT }),
        ioc('sha256', SHA256),
        ioc('url', WILD_URL),
        ioc('domain', 'aXbYc.evil-example.net'.toLowerCase()),
        ioc('mitre-attack', 'T1071'),
        ioc('domain', 'allowed.evil-example.net'),
        // 15 IOCs of one shared report: related results stop at 10.
        ...Array.from({ length: 15 }, (_, i) => ioc('ipv4', `91.92.1.${i + 1}`, { referenceUrl: 'https://reports.example/big' })),
      ],
      { now, ttlDays: {}, allowlist: (type, value) => type === 'domain' && value === 'allowed.evil-example.net' },
    );
  });
  afterAll(async () => api?.close());

  it('answers in the hosted (O) shape', async () => {
    const body = await search('q=45.33.32.156');
    expect(body.meta).toMatchObject({ feed_version: '1.0', source: 'SOC Defenders' });
    expect(Date.parse(body.meta.generated_at)).not.toBeNaN();
    expect(Object.keys(body.data).sort()).toEqual(['found', 'match_type', 'matches', 'meta', 'query', 'relatedIOCs']);
    expect(body.data.found).toBe(true);
    expect(body.data.match_type).toBe('exact');
    expect(body.data.matches.map((m) => m.value)).toEqual(['45.33.32.156']);
    expect(body.data.meta.total_matches).toBe(1);
    expect(typeof body.data.meta.search_time_ms).toBe('number');
  });

  const exact: Array<[string, string, string]> = [
    ['defanged IPv4', '45[.]33[.]32[.]156', '45.33.32.156'],
    ['upper-case hash', SHA256.toUpperCase(), SHA256],
    ['upper-case domain with trailing dot', 'LOGIN-VERIFY.EVIL-EXAMPLE.NET.', 'login-verify.evil-example.net'],
    ['defanged URL', 'hxxps://login-verify[.]evil-example[.]net/secure/index.php', 'https://login-verify.evil-example.net/secure/index.php'],
    ['quoted value', '"45.33.32.156"', '45.33.32.156'],
    ['technique id in lower case', 't1071', 'T1071'],
  ];
  for (const [name, q, value] of exact) {
    it(`finds ${name} exactly`, async () => {
      const body = await search(`q=${encodeURIComponent(q)}`);
      expect(body.data.match_type).toBe('exact');
      expect(body.data.query).toBe(value);
      expect(body.data.matches.map((m) => m.value)).toEqual([value]);
    });
  }

  it('falls back to a case-insensitive substring search for 3+ characters', async () => {
    const body = await search('q=LOGIN-VERIFY&include_related=false');
    expect(body.data.match_type).toBe('substring');
    expect(body.data.matches.map((m) => m.value).sort()).toEqual([
      'https://login-verify.evil-example.net/secure/index.php',
      'login-verify.evil-example.net',
    ]);
  });

  it('restricts by type (mitre_attack spelling accepted)', async () => {
    const domains = await search('q=login-verify&type=domain');
    expect(domains.data.matches.map((m) => m.type)).toEqual(['domain']);
    const techniques = await search('q=T1071&type=mitre_attack');
    expect(techniques.data.matches.map((m) => m.value)).toEqual(['T1071']);
  });

  it('does not substring-search fewer than 3 characters', async () => {
    const body = await search('q=45');
    expect(body.data).toMatchObject({ found: false, match_type: 'none', matches: [], relatedIOCs: [] });
  });

  it('treats % and _ as literal characters, not wildcards', async () => {
    expect((await search('q=%25%25%25')).data.found).toBe(false);
    expect((await search('q=___')).data.found).toBe(false);
    // `a_b_c` would match `axbyc` if `_` were a wildcard.
    expect((await search('q=a_b_c')).data.found).toBe(false);
    const literal = await search(`q=${encodeURIComponent('%25b_c')}`);
    expect(literal.data.matches.map((m) => m.value)).toEqual([WILD_URL]);
    expect((await search(`q=${encodeURIComponent('%25bxc')}`)).data.found).toBe(false);
    expect((await search(`q=${encodeURIComponent('\\')}`)).data.found).toBe(false);
  });

  it('survives SQL metacharacters', async () => {
    const before = await api.store.counts();
    for (const q of ["' OR '1'='1", "'; DROP TABLE iocs; --", '" OR 1=1 --', "evil-example.net' --", '\\\'', '%\' OR value LIKE \'%']) {
      const res = await get(api, `/api/v1/iocs/search?q=${encodeURIComponent(q)}`, free);
      expect(res.status, q).toBe(200);
      const body = (await res.json()) as SearchBody;
      expect(body.data.found, q).toBe(false);
    }
    expect(await api.store.counts()).toEqual(before);
  });

  it('returns IOCs that share a source reference as relatedIOCs (include_related defaults to true)', async () => {
    const body = await search('q=45.33.32.156');
    expect(body.data.relatedIOCs.map((r) => r.value).sort()).toEqual([
      'https://login-verify.evil-example.net/secure/index.php',
      'login-verify.evil-example.net',
    ]);
    expect(body.data.meta.related_count).toBe(2);
    const none = await search('q=45.33.32.156&include_related=false');
    expect(none.data.relatedIOCs).toEqual([]);
    expect(none.data.meta.related_count).toBe(0);
  });

  it('returns at most 10 related IOCs', async () => {
    const body = await search('q=91.92.1.1');
    expect(body.data.relatedIOCs).toHaveLength(10);
    expect(body.data.relatedIOCs.map((r) => r.value)).not.toContain('91.92.1.1');
  });

  it('finds allowlisted IOCs, with their status', async () => {
    const body = await search('q=allowed.evil-example.net');
    expect(body.data.matches.map((m) => m.status)).toEqual(['allowlisted']);
  });

  it('bounds substring results by limit and the plan', async () => {
    const body = await search('q=91.92.1.&limit=3&include_related=false');
    expect(body.data.matches).toHaveLength(3);
    const res = await get(api, '/api/v1/iocs/search?q=91.92&limit=500', free);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('limit_exceeded');
    expect((await get(api, '/api/v1/iocs/search?q=91.92&limit=500', pro)).status).toBe(200);
  });

  const invalid: Array<[string, string, string]> = [
    ['missing q', '', 'q'],
    ['empty q', 'q=', 'q'],
    ['a q over 2048 characters', `q=${'a'.repeat(3000)}`, 'q'],
    ['an unknown type', 'q=abc&type=bogus', 'type'],
    ['a limit of 0', 'q=abc&limit=0', 'limit'],
  ];
  for (const [name, query, parameter] of invalid) {
    it(`refuses ${name} with 400 naming ${parameter}`, async () => {
      const res = await get(api, `/api/v1/iocs/search?${query}`, free);
      expect(res.status).toBe(400);
      const err = await errorOf(res);
      expect(err.code).toBe('invalid_parameter');
      expect(JSON.stringify(err.details)).toContain(`"${parameter}"`);
    });
  }

  it('needs an API key', async () => {
    const res = await get(api, '/api/v1/iocs/search?q=45.33.32.156');
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('missing_api_key');
  });
});
