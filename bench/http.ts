/**
 * What the HTTP benchmarks do around the measurement: fill a store, make a pro API key, start a
 * real `socd serve` (or another tsx script) in a child process and wait for its address, read
 * its peak RSS, stop it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createApiKey, createUser } from '../src/api/accounts.js';
import type { IocCandidate } from '../src/domain/ioc.js';
import { resolvePlans } from '../src/domain/plans.js';
import { AccountsRepository } from '../src/store/accounts-repository.js';
import { KeysRepository } from '../src/store/keys-repository.js';
import type { Store } from '../src/store/store.js';

export const SOCD_LISTENING = /^socd listening on (\S+)/;

export interface Started {
  url: string;
  child: ChildProcess;
}

let built = false;

/**
 * Compile src/ to dist/ (tsc, about 10 s) once per bench process, so the servers measured are
 * what `npm start` runs, from the sources as they are now. Under tsx the same server answered
 * 9-17% fewer list requests (measured with the API bench's list run, 4 alternating runs).
 */
function ensureBuilt(): void {
  if (built) return;
  const res = spawnSync(join('node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${String(res.status ?? res.signal)})`);
  built = true;
}

/** Arguments of `dist/cli/main.js serve` on an ephemeral port (built first: ensureBuilt). */
export function serveArgs(dbUrl: string, cfg?: string): string[] {
  ensureBuilt();
  return ['dist/cli/main.js', ...(cfg === undefined ? [] : ['--config', cfg]), 'serve', '--port', '0', '--database-url', dbUrl];
}

/**
 * The V8 flag `npm start` runs `socd serve` with (package.json): a young generation of up to
 * 2 x 32 MB instead of 2 x 16 MB, so a server rendering thousands of objects a page scavenges
 * less often (measured: TAXII 10k pages 53-57k -> 60-62k obj/s). Benchmarks start every server
 * with it, the baselines too, except runs that cap the heap (the cap is what they measure).
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

/**
 * Run `node [SERVE_NODE_FLAGS] [nodeArgs] [--import tsx] <args>` (tsx for a .ts script only)
 * without the scheduler and with warn-level logs; resolve with the first capture of `pattern` on
 * its stdout.
 */
export function startListening(args: string[], pattern: RegExp = SOCD_LISTENING, nodeArgs: string[] = []): Promise<Started> {
  return new Promise((ok, fail) => {
    const capped = nodeArgs.some((a) => a.startsWith('--max-old-space-size'));
    const loader = args[0]?.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const child = spawn(process.execPath, [...(capped ? [] : SERVE_NODE_FLAGS), ...nodeArgs, ...loader, ...args], {
      env: { ...process.env, SOCD_SCHEDULER: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = pattern.exec(line);
      if (m?.[1]) ok({ url: m[1], child });
    });
    child.once('exit', (code) => fail(new Error(`${args.join(' ')} exited with ${String(code)}`)));
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/** Peak resident set size of a process so far (Linux /proc VmHWM), in MB; NaN when unknown. */
export function peakRssOfPid(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** A member on the pro plan (as `plans` overrides it) and an API key of theirs. */
export async function createProKey(
  store: Store,
  email: string,
  password = 'benchmark password',
  plans: Parameters<typeof resolvePlans>[0] = {},
): Promise<{ key: string; id: string }> {
  const deps = { accounts: new AccountsRepository(store.db), keys: new KeysRepository(store.db), plans: resolvePlans(plans) };
  await createUser(deps, { email, password, role: 'member', plan: 'pro' });
  const created = await createApiKey(deps, { email, name: 'bench' });
  return { key: created.key, id: created.record.id };
}

/** Upsert candidates `from` to `to` (exclusive), 10,000 per batch. */
export async function upsertRange(store: Store, from: number, to: number, candidateOf: (n: number) => IocCandidate): Promise<void> {
  for (let start = from; start < to; start += 10_000) {
    const end = Math.min(to, start + 10_000);
    await store.upsertBatch(
      Array.from({ length: end - start }, (_, i) => candidateOf(start + i)),
      { now: new Date(), ttlDays: {} },
    );
  }
}

/** CPU time (user + system) a process has used so far, in clock ticks (Linux /proc). */
function cpuTicksOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
}

/**
 * Wait until the server has finished its start-up work: `socd serve` counts the dashboard
 * overview once after it starts (seconds of CPU on 1,000,000 IOCs), and a measurement taken
 * meanwhile measures that pass, not serving. Idle: under 10% of a core over half a second.
 */
export async function waitForIdle(pid: number | undefined, timeoutMs = 60_000): Promise<void> {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return;
  const deadline = Date.now() + timeoutMs;
  let before = cpuTicksOf(pid);
  while (Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 500));
    const now = cpuTicksOf(pid);
    if (now - before <= 5) return;
    before = now;
  }
}
