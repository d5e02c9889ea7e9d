/**
 * `socd push` as a user runs it (child processes on a real SQLite file): push splunk, status
 * (text and JSON), reset, config errors, an unset token variable; and `socd serve` pushing the
 * destinations of SOCD_PUSH_CONFIG on their schedule.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/store.js';
import type { DestinationStatus } from '../../src/push/status.js';
import { startServeProcess } from '../api/support/serve-process.js';
import { runCli } from '../cli/run-cli.js';
import { HEC_TOKEN, seed } from './support/fixtures.js';
import { startHecServer, type HecServer } from './support/hec-server.js';

describe('socd push (CLI)', () => {
  let dir: string;
  let dbUrl: string;
  let store: Store;
  let hec: HecServer;
  let configFile: string;
  const env = { SOCD_TEST_HEC_TOKEN: HEC_TOKEN };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socd-push-cli-'));
    dbUrl = join(dir, 'socd.db');
    store = await openStore(dbUrl);
    await store.migrate();
    await seed(store, 120);
    hec = await startHecServer({ tokens: { [HEC_TOKEN]: {} } });
    configFile = join(dir, 'push.yaml');
    writeFileSync(
      configFile,
      `destinations:\n  - name: splunk-cli\n    type: splunk-hec\n    url: ${hec.url}\n    token: \${SOCD_TEST_HEC_TOKEN}\n    schedule: 10s\n    batch: { max_events: 50 }\n`,
    );
  });
  afterAll(async () => {
    await store?.close();
    await hec?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const socd = (args: string[], extraEnv: Record<string, string> = env) => runCli(['--database-url', dbUrl, ...args], { env: extraEnv });

  async function status(): Promise<DestinationStatus[]> {
    const r = await socd(['push', '--push-config', configFile, 'status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as DestinationStatus[];
  }

  it('push splunk delivers and prints a summary; status shows the checkpoint, pending and last success', async () => {
    const before = await status();
    expect(before[0]).toMatchObject({ name: 'splunk-cli', checkpoint: 0, pending: 120, last_status: null });
    expect(before[0]?.lag_seconds).toBeGreaterThanOrEqual(0);

    const r = await socd(['push', '--push-config', configFile, 'splunk']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^splunk-cli: ok: delivered 120, skipped 0, resent 0, retries 0, 3 request\(s\) in [\d.]+ s \(\d+ IOCs\/s\); checkpoint 120 of 120\n$/);
    expect(hec.events).toHaveLength(120);

    await seed(store, 7, 1000);
    const after = await status();
    expect(after[0]).toMatchObject({ checkpoint: 120, head: 127, pending: 7, last_status: 'ok', delivered: 120 });
    const text = await socd(['push', '--push-config', configFile, 'status']);
    expect(text.stdout).toContain('splunk-cli [splunk-hec, every 10s]');
    expect(text.stdout).toContain('checkpoint version 120 of 127; pending 7;');
    expect(text.stdout).toContain('totals: delivered 120, skipped 0, resent 0 (possible duplicates), retries 0');
  });

  it('push reset sends everything again on the next push', async () => {
    const r = await socd(['push', '--push-config', configFile, 'reset', 'splunk-cli']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('splunk-cli: checkpoint set to version 0\n');
    expect((await status())[0]).toMatchObject({ checkpoint: 0, pending: 127 });
    const toHead = await socd(['push', '--push-config', configFile, 'reset', 'splunk-cli', '--to-head']);
    expect(toHead.stdout).toBe('splunk-cli: checkpoint set to version 127\n');
    expect((await status())[0]).toMatchObject({ checkpoint: 127, pending: 0 });
  });

  it('reports config errors (exit 2) and an unset token variable (exit 1, recorded in status)', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'destinations:\n  - name: x\n    type: splunk-hec\n    url: http://127.0.0.1:1\n    token: literal-token\n');
    const r = await socd(['push', '--push-config', bad, 'splunk']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/destinations\[0\]\.token: must be an environment variable reference/);

    const unset = await socd(['push', '--push-config', configFile, 'splunk'], {});
    expect(unset.code).toBe(1);
    expect(unset.stdout).toMatch(/splunk-cli: error \(destination_unavailable\): splunk-cli cannot run: environment variable SOCD_TEST_HEC_TOKEN \(destinations\[0\]\.token\) is not set/);
    const s = await socd(['push', '--push-config', configFile, 'status'], {});
    expect(s.stdout).toContain('UNAVAILABLE: environment variable SOCD_TEST_HEC_TOKEN');
    expect(s.stdout).toMatch(/last error .*destination_unavailable/);

    const none = await socd(['push', '--push-config', join(dir, 'absent.yaml'), 'status']);
    // Its stored state outlives the config entry.
    expect(none.stdout).toMatch(/^splunk-cli \[splunk-hec, not in the push config\]/);
    const missing = await socd(['push', '--push-config', join(dir, 'absent.yaml'), 'splunk']);
    expect(missing.code).toBe(2);
  });

  it('socd serve pushes the destinations of SOCD_PUSH_CONFIG on their schedule', async () => {
    await socd(['push', '--push-config', configFile, 'reset', 'splunk-cli', '--to-head']);
    await seed(store, 30, 2000);
    const received = hec.events.length;
    const server = await startServeProcess(['--database-url', dbUrl], {
      ...env,
      SOCD_SCHEDULER: 'true',
      SOCD_FEEDS: join(dir, 'no-feeds.yaml'),
      SOCD_PUSH_CONFIG: configFile,
    });
    try {
      const deadline = Date.now() + 20_000;
      while (hec.events.length < received + 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(hec.events.length - received).toBe(30);
      const s = (await status())[0];
      expect(s).toMatchObject({ pending: 0, last_status: 'ok' });
    } finally {
      await server.stop();
    }
  });
});
