/**
 * scripts/splunk-poll.sh, run as written (bash + curl) against the real server and a local
 * receiver speaking Splunk HEC: every IOC arrives exactly once across runs, with new IOCs
 * ingested between them; a refused fetch sends nothing and keeps the checkpoint.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocRecord } from '../../src/domain/ioc.js';
import { PROJECT_ROOT } from '../cli/run-cli.js';
import { startHecReceiver, type HecReceiver } from './support/hec-receiver.js';
import { candidate, ingest, newKey, startApi, type RunningApi } from './support/server.js';

const SCRIPT = join(PROJECT_ROOT, 'scripts', 'splunk-poll.sh');
const HEC_TOKEN = '11111111-2222-3333-4444-555555555555';

function runPoll(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr });
    });
  });
}

describe('Splunk poll script into HEC /services/collector/raw', () => {
  let api: RunningApi;
  let hec: HecReceiver;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    api = await startApi('sqlite');
    hec = await startHecReceiver(HEC_TOKEN);
    dir = mkdtempSync(join(tmpdir(), 'socd-splunk-'));
    const { key } = await newKey(api.deps, 'pro');
    env = {
      SOCD_URL: api.url,
      SOCD_API_KEY: key,
      HEC_URL: hec.url,
      HEC_TOKEN,
      SOCD_CHECKPOINT: join(dir, 'cursor'),
      SOCD_LIMIT: '100',
    };
  });
  afterAll(async () => {
    await api?.close();
    await hec?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every IOC exactly once across runs, with new IOCs ingested in between', async () => {
    await ingest(api.store, Array.from({ length: 250 }, (_, i) => candidate(i, { type: 'ipv4' })));
    const first = await runPoll(env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/3 page\(s\) sent/);
    expect(hec.events).toHaveLength(250);

    await ingest(api.store, Array.from({ length: 120 }, (_, i) => candidate(1000 + i, { type: 'domain' })));
    const second = await runPoll(env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/2 page\(s\) sent/);

    const third = await runPoll(env);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/0 page\(s\) sent/);

    const ids = hec.events.map((e) => (JSON.parse(e.line) as IocRecord).id);
    expect(ids).toHaveLength(370);
    expect(new Set(ids).size).toBe(370);
    const stored = await api.store.db.selectFrom('iocs').select('id').execute();
    expect(new Set(ids)).toEqual(new Set(stored.map((r) => r.id)));
    expect(hec.events.every((e) => e.query.get('sourcetype') === '_json')).toBe(true);
    expect(readFileSync(join(dir, 'cursor'), 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('sends nothing and keeps the checkpoint when the API refuses, and fails on a bad HEC token', async () => {
    const before = readFileSync(join(dir, 'cursor'), 'utf8');
    const received = hec.events.length;
    const badKey = await runPoll({ ...env, SOCD_API_KEY: `sk_live_${'x'.repeat(32)}` });
    expect(badKey.code).not.toBe(0);
    expect(badKey.stderr).toMatch(/401/);
    await ingest(api.store, [candidate(5000, { type: 'url' })]);
    const badToken = await runPoll({ ...env, HEC_TOKEN: 'wrong' });
    expect(badToken.code).not.toBe(0);
    expect(badToken.stderr).toMatch(/Invalid token/);
    expect(readFileSync(join(dir, 'cursor'), 'utf8')).toBe(before);
    expect(hec.events.length).toBe(received);
    const retry = await runPoll(env);
    expect(retry.code, retry.stderr).toBe(0);
    expect(hec.events.length).toBe(received + 1);
  });
});
