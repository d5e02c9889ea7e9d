/**
 * Two `socd serve` processes on one PostgreSQL database: they share one exact quota, and a key
 * revoked with `socd keys revoke` fails on its next request in both.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, hasPostgres, type TestDatabase } from '../support/databases.js';
import { runCli } from '../cli/run-cli.js';
import { startServeProcess, type ServeProcess } from './support/serve-process.js';

describe.runIf(hasPostgres)('two socd serve processes on one PostgreSQL', () => {
  let db: TestDatabase;
  let dir: string;
  let config: string;
  const servers: ServeProcess[] = [];
  const socd = (args: string[], stdin?: string) => runCli(['--config', config, ...args, '--database-url', db.url], { stdin });

  async function keyFor(email: string, plan: string): Promise<string> {
    const user = await socd(['users', 'create', '--email', email, '--password-stdin', '--plan', plan], 'a long passphrase\n');
    expect(user.code, user.stderr).toBe(0);
    const key = await socd(['keys', 'create', '--user', email, '--name', 'multi']);
    expect(key.code, key.stderr).toBe(0);
    return key.stdout.trim();
  }

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    dir = mkdtempSync(join(tmpdir(), 'socd-mp-'));
    config = join(dir, 'socd.yaml');
    writeFileSync(config, 'plans:\n  metered:\n    per_minute: 100000\n    per_day: 40\n    features: all\n');
    // Migrate once before both servers start.
    expect((await socd(['users', 'list'])).code).toBe(0);
    servers.push(...(await Promise.all([0, 1].map(() => startServeProcess(['--config', config, '--database-url', db.url])))));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('count one quota exactly: 100 concurrent requests over both, 40 allowed', async () => {
    const key = await keyFor('quota@example.com', 'metered');
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${servers[i % 2]?.url}/api/v1/iocs?limit=1`, { headers: { authorization: `Bearer ${key}` } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(40);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60);
    // Both processes served some of the allowed ones and refused some of the rest.
    const okBy = [0, 1].map((p) => results.filter((r, i) => i % 2 === p && r.status === 200).length);
    expect(okBy[0]! + okBy[1]!).toBe(40);
    await Promise.all(results.map((r) => r.arrayBuffer()));
  }, 120_000);

  it('see a revocation made by another process on the next request', async () => {
    const key = await keyFor('revoke@example.com', 'pro');
    for (const s of servers) {
      expect((await fetch(`${s.url}/api/v1/iocs`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    }
    const revoked = await socd(['keys', 'revoke', key.slice(0, 12), '--reason', 'leaked in a paste']);
    expect(revoked.code, revoked.stderr).toBe(0);
    for (const s of servers) {
      const res = await fetch(`${s.url}/api/v1/iocs`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    }
  }, 120_000);
});
