/**
 * A restart of `socd push splunk` in the middle of a push: the real CLI as a child process
 * (node + tsx), killed with SIGKILL by the HEC server right after it indexed a batch (so that
 * batch's answer is lost), or stopped with SIGTERM; then run again to the end. Every IOC
 * arrives; the only IOCs that arrive twice are those HEC had indexed after the last durable
 * checkpoint of the killed process, and they are counted exactly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { DestinationsRepository } from '../../src/push/destinations-repository.js';
import { PROJECT_ROOT, runCli } from '../cli/run-cli.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useTestStore } from '../store/test-store.js';
import { duplicates, HEC_TOKEN, seed, storedVersions, sum } from './support/fixtures.js';
import { startHecServer, type HecServer, type HecServerOptions } from './support/hec-server.js';

const IOCS = 1500;
const BATCH = 100;

function pushConfig(url: string, extra: string): string {
  return [
    'destinations:',
    '  - name: splunk-restart',
    '    type: splunk-hec',
    `    url: ${url}`,
    '    token: ${SOCD_TEST_HEC_TOKEN}',
    '    index: threat_intel',
    `    batch: { max_events: ${BATCH} }`,
    '    timeout_seconds: 5',
    '    retry: { max_attempts: 5, base_ms: 10, max_ms: 100 }',
    extra,
  ].join('\n');
}

function startPush(dbUrl: string, configFile: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--database-url', dbUrl, 'push', '--push-config', configFile, 'splunk'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, SOCD_TEST_HEC_TOKEN: HEC_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

describe.each(DATABASE_KINDS)('restarting socd push splunk mid-push (%s)', (kind) => {
  const db = useTestStore(kind);
  let hec: HecServer;
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socd-push-restart-'));
  });
  afterEach(async () => {
    await hec?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Pushes IOCS through a HEC server that stops the pusher with `signal` right after indexing the
   * first request for which `stopAt` holds, then runs `socd push splunk` again to the end.
   */
  async function scenario(
    serverOpts: Omit<HecServerOptions, 'tokens'>,
    extraConfig: string,
    stopAt: (request: number, server: HecServer) => boolean,
    signal: NodeJS.Signals,
  ): Promise<{
    duplicated: number;
    afterCheckpoint: number;
    receivedBeforeRestart: number;
    firstRun: { code: number | null; signal: NodeJS.Signals | null; stderr: string };
  }> {
    await seed(db.store(), IOCS);
    hec = await startHecServer({ tokens: { [HEC_TOKEN]: { ack: extraConfig.includes('ack') } }, ...serverOpts });
    const configFile = join(dir, 'push.yaml');
    writeFileSync(configFile, pushConfig(hec.url, extraConfig));

    const first = startPush(db.url(), configFile);
    let stopped = false;
    hec.afterIndex = (req) => {
      if (!stopped && stopAt(req.n, hec)) {
        stopped = true;
        first.child.kill(signal);
      }
    };
    const firstRun = await first.done;
    hec.afterIndex = null;
    await hec.idle();
    const receivedBeforeRestart = hec.events.length;
    expect(stopped).toBe(true);
    expect(receivedBeforeRestart).toBeLessThan(IOCS);

    const second = await runCli(['--database-url', db.url(), 'push', '--push-config', configFile, 'splunk', '--json'], {
      env: { SOCD_TEST_HEC_TOKEN: HEC_TOKEN },
    });
    expect(second.code, second.stderr).toBe(0);
    const [result] = JSON.parse(second.stdout) as Array<{ status: string; startCheckpoint: number; delivered: number }>;
    expect(result?.status).toBe('ok');
    // The durable checkpoint the stopped process left (read by the second run: a checkpoint write
    // the first process sent just before it died may commit a moment after it exits).
    const checkpointAtStop = result?.startCheckpoint ?? -1;
    const state = await new DestinationsRepository(db.store()).get('splunk-restart');
    expect(state?.checkpoint).toBe(Math.max(...(await storedVersions(db.store())).values()));
    expect(checkpointAtStop).toBeLessThan(IOCS);
    // Everything HEC indexed after that checkpoint was sent again.
    const afterCheckpoint = hec.events.slice(0, receivedBeforeRestart).filter((e) => (e.envelope.event as IocRecord).version > checkpointAtStop).length;
    expect(result?.delivered).toBe(IOCS - hec.events.slice(0, receivedBeforeRestart).filter((e) => (e.envelope.event as IocRecord).version <= checkpointAtStop).length);

    const ids = hec.events.map((e) => (e.envelope.event as IocRecord).id);
    const stored = await storedVersions(db.store());
    expect(new Set(ids)).toEqual(new Set(stored.keys()));
    const dups = duplicates(ids);
    // Duplicates are exactly the IOCs indexed after the checkpoint the stopped process wrote.
    for (const e of hec.events.slice(0, receivedBeforeRestart)) {
      const ioc = e.envelope.event as IocRecord;
      if (ioc.version <= checkpointAtStop) expect(dups.has(ioc.id)).toBe(false);
      else expect(dups.get(ioc.id)).toBe(1);
    }
    return { duplicated: sum(dups.values()), afterCheckpoint, receivedBeforeRestart, firstRun };
  }

  it('SIGKILL right after HEC indexed a batch: that batch (and at most one more) arrives twice, nothing is lost', async () => {
    const { duplicated, afterCheckpoint, firstRun } = await scenario({}, '    max_in_flight: 1', (n) => n === 8, 'SIGKILL');
    expect(firstRun.signal).toBe('SIGKILL');
    expect(duplicated).toBe(afterCheckpoint);
    // The batch whose answer was lost, plus at most the one before it if its checkpoint write was still on its way.
    expect(duplicated).toBeGreaterThanOrEqual(BATCH);
    expect(duplicated).toBeLessThanOrEqual(2 * BATCH);
  });

  it('SIGKILL with indexer acknowledgement and 4 batches in flight: only unacknowledged batches arrive twice', async () => {
    // Stopped a few requests after HEC confirmed its first acks, while it holds others.
    let ackedAt = 0;
    const { duplicated, afterCheckpoint, firstRun, receivedBeforeRestart } = await scenario(
      { ackDelayMs: 20, delayMs: 40 },
      '    max_in_flight: 4\n    ack: { enabled: true, poll_seconds: 0.02 }',
      (n, server) => {
        if (ackedAt === 0 && server.acksReported >= 3) ackedAt = n;
        return ackedAt > 0 && n >= ackedAt + 4;
      },
      'SIGKILL',
    );
    expect(firstRun.signal).toBe('SIGKILL');
    expect(duplicated).toBe(afterCheckpoint);
    expect(duplicated).toBeGreaterThanOrEqual(BATCH);
    // Acknowledged batches were checkpointed: they are not sent again.
    expect(duplicated).toBeLessThan(receivedBeforeRestart);
  });

  it('SIGTERM stops cleanly (exit 130): requests in flight finish and are checkpointed, the next run finishes', async () => {
    const { duplicated, afterCheckpoint, firstRun } = await scenario({ delayMs: 20 }, '    max_in_flight: 2', (n) => n === 5, 'SIGTERM');
    expect(firstRun.code).toBe(130);
    expect(firstRun.stderr).not.toMatch(/Error|at .*\.ts/);
    expect(duplicated).toBe(afterCheckpoint);
    // Requests already sent finish and are checkpointed before the process exits: no duplicates.
    expect(duplicated).toBe(0);
  });
});
