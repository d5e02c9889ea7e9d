/**
 * `socd users` and `socd keys` run as processes against a real database: the key printed once
 * is stored only as a hash, listings never show secrets, revocation and plan changes take effect.
 * Runs on SQLite (each command is a process start); the same repositories run on PostgreSQL in
 * the API suites, and test/api/multi-process.test.ts drives these commands against PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeysRepository } from '../../src/store/keys-repository.js';
import { AccountsRepository } from '../../src/store/accounts-repository.js';
import { openStore } from '../../src/store/open.js';
import { hashApiKey, verifyPassword } from '../../src/api/credentials.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { runCli } from './run-cli.js';

// Each command is a process start (about 1 s, much more on a loaded machine).
const CLI_TEST_MS = 240_000;

describe.each(['sqlite'] as const)('socd users / keys on %s', (kind) => {
  let db: TestDatabase;
  const socd = (args: string[], stdin?: string) => runCli([...args, '--database-url', db.url], { stdin });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => db?.drop());

  it('creates users from a password on stdin, refuses duplicates and weak passwords', async () => {
    const created = await socd(['users', 'create', '--email', 'Ana@Example.com', '--password-stdin', '--admin'], 'a long passphrase\n');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created user ana@example.com \(admin, plan free\)/);
    const dup = await socd(['users', 'create', '--email', 'ana@example.com', '--password-stdin'], 'another passphrase\n');
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe('socd: a user with e-mail ana@example.com exists\n');
    const weak = await socd(['users', 'create', '--email', 'bo@example.com', '--password-stdin'], 'short\n');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toMatch(/at least 12 characters/);
    const noStdin = await socd(['users', 'create', '--email', 'bo@example.com']);
    expect(noStdin.code).toBe(2);
    const pro = await socd(['users', 'create', '--email', 'bo@example.com', '--password-stdin', '--plan', 'pro'], 'bo passphrase 123\n');
    expect(pro.code).toBe(0);
    const badPlan = await socd(['users', 'create', '--email', 'cy@example.com', '--password-stdin', '--plan', 'gold'], 'cy passphrase 123\n');
    expect(badPlan.stderr).toMatch(/unknown plan "gold"; plans: free, pro/);

    const store = await openStore(db.url);
    try {
      const stored = await new AccountsRepository(store.db).passwordHash('ana@example.com');
      expect(stored?.passwordHash).toMatch(/^scrypt\$/);
      expect(await verifyPassword('a long passphrase', stored?.passwordHash ?? '')).toBe(true);
    } finally {
      await store.close();
    }
    const list = await socd(['users', 'list', '--json']);
    const users = JSON.parse(list.stdout) as Array<{ email: string; role: string; plan: string }>;
    expect(users.map((u) => [u.email, u.role, u.plan])).toEqual([
      ['ana@example.com', 'admin', 'free'],
      ['bo@example.com', 'member', 'pro'],
    ]);
    expect(list.stdout).not.toContain('scrypt');
  }, CLI_TEST_MS);

  it('prints a new key once, stores only its hash, lists prefixes, revokes by prefix', async () => {
    const created = await socd(['keys', 'create', '--user', 'ana@example.com', '--name', 'splunk input', '--expires-in-days', '30']);
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^sk_live_[0-9A-Za-z]{32}$/);
    expect(created.stderr).toMatch(/shown only once/);

    const store = await openStore(db.url);
    try {
      const row = await new KeysRepository(store.db).findByHash(hashApiKey(key));
      expect(row).not.toBeNull();
      const raw = await store.db.selectFrom('api_keys').selectAll().execute();
      expect(JSON.stringify(raw)).not.toContain(key);
    } finally {
      await store.close();
    }

    const list = await socd(['keys', 'list', '--user', 'ana@example.com', '--json']);
    const keys = JSON.parse(list.stdout) as Array<{ id: string; key_prefix: string; name: string; expires_at: string | null; plan: string }>;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ key_prefix: key.slice(0, 12), name: 'splunk input', plan: 'free' });
    expect(Date.parse(keys[0]?.expires_at ?? '') - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(list.stdout).not.toContain(key);
    const table = await socd(['keys', 'list']);
    expect(table.stdout).toMatch(/^ID\s+PREFIX\s+NAME/);

    const noReason = await socd(['keys', 'revoke', key.slice(0, 12)]);
    expect(noReason.code).not.toBe(0);
    const revoked = await socd(['keys', 'revoke', key.slice(0, 12), '--reason', 'rotated']);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/revoked key sk_live_.{4} .*rotated/);
    const again = await socd(['keys', 'revoke', keys[0]?.id ?? '', '--reason', 'x']);
    expect(again.stderr).toMatch(/was revoked at/);
    const unknown = await socd(['keys', 'revoke', 'sk_live_zzzz', '--reason', 'x']);
    expect(unknown.stderr).toMatch(/no API key/);
  }, CLI_TEST_MS);

  it('enforces the plan key limit and moves keys with set-plan', async () => {
    for (let i = 0; i < 3; i++) expect((await socd(['keys', 'create', '--user', 'ana@example.com', '--name', `k${i}`])).code).toBe(0);
    const fourth = await socd(['keys', 'create', '--user', 'ana@example.com', '--name', 'k4']);
    expect(fourth.code).toBe(1);
    expect(fourth.stderr).toMatch(/free plan allows 3 active keys per user/);
    const bad = await socd(['keys', 'create', '--user', 'ana@example.com', '--name', 'k4', '--expires-in-days', '400']);
    expect(bad.stderr).toMatch(/1 to 365/);

    const up = await socd(['users', 'set-plan', '--email', 'ana@example.com', '--plan', 'pro']);
    expect(up.stdout).toBe('user ana@example.com is now on plan pro\n');
    expect((await socd(['keys', 'create', '--user', 'ana@example.com', '--name', 'k4'])).code).toBe(0);
    const keys = JSON.parse((await socd(['keys', 'list', '--user', 'ana@example.com', '--json'])).stdout) as Array<{ plan: string; scopes: string[] }>;
    expect(keys.every((k) => k.plan === 'pro' && k.scopes.includes('read:stix'))).toBe(true);
    const unknownUser = await socd(['users', 'set-plan', '--email', 'nobody@example.com', '--plan', 'pro']);
    expect(unknownUser.stderr).toMatch(/no user with e-mail/);
  }, CLI_TEST_MS);
});
