/**
 * `npm run bench [-- name...]`: runs each benchmark in its own process (so each peak RSS is its
 * own) and prints their reports. Benchmarks live in bench/<name>.ts; targets are printed beside
 * each figure with PASS/MISS, and the exit code is non-zero when a target is missed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ALL = ['ingest', 'api', 'taxii', 'sigma', 'exports', 'push', 'dashboard'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = (wanted.length > 0 ? wanted : ALL).filter((n) => existsSync(join(here, `${n}.ts`)));

let failed = 0;
for (const name of names) {
  process.stdout.write(`\n## bench: ${name}\n`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(here, `${name}.ts`)], {
    stdio: 'inherit',
    env: process.env,
  });
  if (res.status !== 0) {
    failed++;
    process.stdout.write(`bench ${name}: exit ${res.status ?? res.signal}\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
