/**
 * A real `socd serve` process for the browser suites, on a fresh database, with a feed config of
 * its own (the shared URLhaus sample as a file feed, so "run now" works offline), the first
 * administrator created through the CLI as an operator would, and a store connection of the
 * test's own for fixtures and checks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../src/store/open.js';
import type { Store } from '../../../src/store/store.js';
import { startServeProcess, type ServeProcess } from '../../api/support/serve-process.js';
import { runCli } from '../../cli/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';
import { sharedFile } from '../../support/shared-data.js';

export const URLHAUS_FEED = 'URLhaus sample';

export interface Dashboard {
  url: string;
  store: Store;
  db: TestDatabase;
  admin: { email: string; password: string };
  close(): Promise<void>;
}

export async function startDashboard(kind: 'sqlite' | 'postgres'): Promise<Dashboard> {
  const db = await createTestDatabase(kind);
  const dir = mkdtempSync(join(tmpdir(), 'socd-web-'));
  const feeds = join(dir, 'feeds.yaml');
  writeFileSync(
    feeds,
    [
      'feeds:',
      `  - name: ${URLHAUS_FEED}`,
      `    path: ${JSON.stringify(sharedFile('urlhaus', 'urlhaus_csv_online.csv'))}`,
      '    format: urlhaus',
      '    schedule: 1h',
      '    defaults:',
      '      category: community',
      '      confidence: high',
      '',
    ].join('\n'),
  );
  const config = join(dir, 'socd.yaml');
  writeFileSync(config, `feeds_config: ${JSON.stringify(feeds)}\ndata_dir: ${JSON.stringify(join(dir, 'data'))}\n`);

  const admin = { email: 'admin@example.com', password: 'admin passphrase 1' };
  const created = await runCli(['--config', config, '--database-url', db.url, 'users', 'create', '--email', admin.email, '--password-stdin', '--admin', '--plan', 'pro'], {
    stdin: `${admin.password}\n`,
  });
  if (created.code !== 0) throw new Error(`socd users create failed: ${created.stderr}`);

  let serve: ServeProcess;
  try {
    serve = await startServeProcess(['--config', config, '--database-url', db.url]);
  } catch (err) {
    await db.drop();
    throw err;
  }
  const store = await openStore(db.url);
  return {
    url: serve.url,
    store,
    db,
    admin,
    async close() {
      await serve.stop();
      await store.close();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
