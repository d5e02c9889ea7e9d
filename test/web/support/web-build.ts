/**
 * The browser suites test the dashboard as `socd serve` serves it: the Vite build in dist/web.
 * `npm run build` makes it (CI's `npm ci` runs it through `prepare`); here it is rebuilt when
 * missing or older than any source under web/, once even when several suites ask at the same
 * time (a lock directory serializes them across vitest's worker processes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../cli/run-cli.js';

const WEB = join(PROJECT_ROOT, 'web');
const OUT = join(PROJECT_ROOT, 'dist', 'web');
const LOCK = join(PROJECT_ROOT, 'dist', '.web-build.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The server modules the app imports values from (type-only imports do not change the build). */
const SHARED_SOURCES = [join(PROJECT_ROOT, 'src', 'domain', 'vocabulary.ts')];

function upToDate(): boolean {
  const index = join(OUT, 'index.html');
  if (!existsSync(index)) return false;
  const newest = Math.max(newestMtime(WEB), ...SHARED_SOURCES.map((f) => statSync(f).mtimeMs));
  return statSync(index).mtimeMs >= newest;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

export async function ensureWebBuild(): Promise<void> {
  if (upToDate()) return;
  mkdirSync(join(PROJECT_ROOT, 'dist'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another suite is building; a lock older than 2 minutes is left over from a killed run.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (waited > 180_000) throw new Error('timed out waiting for another suite to build the dashboard');
      await sleep(200);
    }
  }
  try {
    if (upToDate()) return;
    const res = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(`vite build failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
