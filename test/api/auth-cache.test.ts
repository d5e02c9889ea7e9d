/**
 * Authentication on SQLite sees every key change on the key's very next request: a revocation,
 * expiry, plan change or its user's suspension, committed through another connection to the
 * file (as `socd keys revoke` from another process does) or through this process's own
 * connection. A cache of key rows in front of the lookup by hash (plugins/auth.ts) must keep
 * these passing; PostgreSQL's two-process case is multi-process.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultScopes, type Plan } from '../../src/domain/plans.js';
import { AccountsRepository } from '../../src/store/accounts-repository.js';
import { KeysRepository } from '../../src/store/keys-repository.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import { get, newKey, startApi, type RunningApi } from './support/server.js';

describe('key changes on SQLite reach the next request', () => {
  let api: RunningApi;
  /** A second connection to the same file: what another process would write through. */
  let other: Store;
  let otherKeys: KeysRepository;
  let otherAccounts: AccountsRepository;

  beforeAll(async () => {
    api = await startApi('sqlite');
    other = await openStore(api.db.url);
    otherKeys = new KeysRepository(other.db);
    otherAccounts = new AccountsRepository(other.db);
  });
  afterAll(async () => {
    await other?.close();
    await api?.close();
  });

  /** Several requests in a row, so a key row cache would hold the key before the change. */
  async function warm(key: string): Promise<void> {
    for (let i = 0; i < 3; i++) expect((await get(api, '/api/v1/iocs', key)).status).toBe(200);
  }

  it('sees a revocation committed by another connection on the next request', async () => {
    const k = await newKey(api.deps, 'pro');
    await warm(k.key);
    expect(await otherKeys.revoke(k.id, 'leaked', new Date().toISOString())).toBe(true);
    const res = await get(api, '/api/v1/iocs', k.key);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);
  });

  it('sees an expiry set by another connection on the next request', async () => {
    const k = await newKey(api.deps, 'pro');
    await warm(k.key);
    await other.db.updateTable('api_keys').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', k.id).execute();
    const res = await get(api, '/api/v1/iocs', k.key);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('expired_api_key');
  });

  it("sees a plan change and a user's suspension made by another connection", async () => {
    const k = await newKey(api.deps, 'pro');
    await warm(k.key);
    // The free plan has no CSV export: a downgrade shows as 403 on the next request.
    expect((await get(api, '/api/v1/iocs?format=csv', k.key)).status).toBe(200);
    await otherKeys.setPlanForUser(k.userId, 'free', defaultScopes(api.deps.plans.free as Plan));
    expect((await get(api, '/api/v1/iocs?format=csv', k.key)).status).toBe(403);
    await otherAccounts.setDisabled(k.userId, true);
    expect((await get(api, '/api/v1/iocs', k.key)).status).toBe(401);
  });

  it('sees a revocation made through its own connection on the next request', async () => {
    const k = await newKey(api.deps, 'pro');
    await warm(k.key);
    await api.deps.keys.revoke(k.id, 'rotated', new Date().toISOString());
    expect((await get(api, '/api/v1/iocs', k.key)).status).toBe(401);
  });

  it('authenticates a key created by another connection after the cache was filled', async () => {
    const k = await newKey(api.deps, 'pro');
    await warm(k.key);
    const fresh = await newKey({ ...api.deps, keys: otherKeys, accounts: otherAccounts }, 'pro');
    expect((await get(api, '/api/v1/iocs', fresh.key)).status).toBe(200);
    expect((await get(api, '/api/v1/iocs', k.key)).status).toBe(200);
  });
});
