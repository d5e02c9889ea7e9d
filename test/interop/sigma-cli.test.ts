import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountDeps } from '../../src/api/accounts.js';
import { iocId } from '../../src/domain/ids.js';
import { resolvePlans } from '../../src/domain/plans.js';
import { isSigmaRuleType } from '../../src/export/sigma.js';
import { AccountsRepository } from '../../src/store/accounts-repository.js';
import { KeysRepository } from '../../src/store/keys-repository.js';
import { openStore } from '../../src/store/open.js';
import { newKey } from '../api/support/server.js';
import { sharedAndDemoCandidates } from '../export/sigma-shared-iocs.js';
import { parseRules } from '../export/sigma-schema.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { requireDependency } from '../support/require.js';
import { hasSharedData } from '../support/shared-data.js';

/**
 * The real sigma-cli on the real export: start `socd serve` on a database holding the demo data
 * and every IOC of ../shared/data, fetch GET /api/v1/iocs/sigma page by page, then
 * - `sigma check` with the shipped config/sigma-check.yml: no errors and no issues, offline
 *   (pySigma's MITRE caches are filled from config/sigma/ first);
 * - `sigma convert` with every backend and pipeline set the README documents: zero failures,
 *   one query per rule, and each query holds its rule's IOC value.
 *
 * Executables: SOCD_SIGMA_CLI or .venv/bin/sigma; for QRadar SOCD_SIGMA_CLI_QRADAR, else
 * .venv-qradar/bin/sigma when present (the QRadar backend pins pySigma 0.11, so it may live in
 * its own venv), else the default one.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SIGMA = process.env.SOCD_SIGMA_CLI ?? join(ROOT, '.venv', 'bin', 'sigma');
const QRADAR_VENV_SIGMA = join(ROOT, '.venv-qradar', 'bin', 'sigma');
const SIGMA_QRADAR = process.env.SOCD_SIGMA_CLI_QRADAR ?? (existsSync(QRADAR_VENV_SIGMA) ? QRADAR_VENV_SIGMA : SIGMA);
const PIPELINES = join(ROOT, 'config', 'sigma', 'pipelines');
const run = promisify(execFile);

const hasSigma = requireDependency('sigma-cli', existsSync(SIGMA), `${SIGMA} not found: .ci/run installs sigma-cli and its backends into .venv`);

/** sigma-cli's major version (1 = sigma-cli 1.x on pySigma 0.11, as the QRadar backend pins it). */
function cliMajor(sigma: string): number {
  if (!existsSync(sigma)) return 0;
  // Not `sigma version`: it asks PyPI for the latest release.
  const out = execFileSync(join(dirname(sigma), 'python'), ['-c', "import importlib.metadata as m; print(m.version('sigma-cli'))"], {
    encoding: 'utf8',
  });
  return Number(/^(\d+)\./.exec(out.trim())?.[1] ?? 0);
}

function cliTargets(sigma: string): string {
  return existsSync(sigma) ? execFileSync(sigma, ['list', 'targets'], { encoding: 'utf8' }) : '';
}

interface Target {
  name: string;
  sigma: string;
  args: string[];
}

/**
 * The conversions the README (section Sigma) documents, one per SIEM. With sigma-cli 1.x (pySigma 0.11) the
 * sysmon pipeline cannot be chained with splunk_windows (pySigma-pipeline-sysmon 1.0.4 crashes:
 * "'str' object is not callable"), so Splunk goes without it there, as the docs say.
 */
function targets(): Target[] {
  const modern = cliMajor(SIGMA) >= 2;
  const ecs = ['-p', 'ecs_windows', '-p', join(PIPELINES, 'ecs-proxy.yml')];
  return [
    { name: 'Splunk SPL', sigma: SIGMA, args: ['-t', 'splunk', ...(modern ? ['-p', 'sysmon'] : []), '-p', 'splunk_windows'] },
    { name: 'Elastic Lucene', sigma: SIGMA, args: ['-t', 'lucene', ...ecs] },
    { name: 'Elastic ES|QL', sigma: SIGMA, args: ['-t', 'esql', ...ecs, '--disable-pipeline-check'] },
    { name: 'Microsoft Sentinel (ASIM)', sigma: SIGMA, args: ['-t', 'kusto', '-p', 'sentinel_asim', '-p', join(PIPELINES, 'sentinel-asim.yml')] },
    { name: 'Microsoft Defender XDR', sigma: SIGMA, args: ['-t', 'kusto', '-p', 'microsoft_xdr', '-p', join(PIPELINES, 'defender-xdr.yml')] },
    { name: 'IBM QRadar AQL', sigma: SIGMA_QRADAR, args: ['-t', 'q_radar_aql', '-p', join(PIPELINES, 'qradar-aql.yml')] },
  ];
}

/** How pySigma reads a match value back into the literal it matches. */
function sigmaLiteral(v: string): string {
  return v.replace(/\\([\\*?])/g, '$1');
}

/** Backends escape differently (\\ before specials, '' for '); compare without escapes, case-insensitively. */
function comparable(s: string): string {
  return s.replace(/\\/g, '').replace(/''/g, "'").toLowerCase();
}

interface Rule {
  id: string;
  detection: { selection: Record<string, string> | Array<Record<string, string>> };
}

/** The IOC value a rule matches: its first match value, without Sigma escapes or the `ALGO=` of hashes. */
function iocValueOf(rule: Rule): string {
  const sel = rule.detection.selection;
  const [field, value] = Object.entries(Array.isArray(sel) ? (sel[0] ?? {}) : sel)[0] ?? ['', ''];
  const literal = sigmaLiteral(value);
  return field.startsWith('Hashes') ? literal.slice(literal.indexOf('=') + 1) : literal;
}

async function startServer(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', '--database-url', databaseUrl], {
    cwd: ROOT,
    env: { ...process.env, SOCD_SCHEDULER: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`socd serve did not start in 60 s: ${stderr}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /socd listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.on('exit', (code) => fail(new Error(`socd serve exited with ${String(code)}: ${stderr}`)));
  });
  return { url, child };
}

describe.runIf(hasSigma && hasSharedData)('sigma-cli on GET /api/v1/iocs/sigma (demo + shared data)', () => {
  let db: TestDatabase;
  let server: ChildProcess | null = null;
  let work: string;
  let rulesDir: string;
  let home: string;
  const rules: Rule[] = [];
  let expectedIds = new Set<string>();

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'socd-sigma-'));
    rulesDir = join(work, 'rules');
    home = join(work, 'home');
    mkdirSync(rulesDir);
    mkdirSync(home);

    db = await createTestDatabase('sqlite');
    const store = await openStore(db.url);
    await store.migrate();
    const candidates = await sharedAndDemoCandidates(new Date());
    await store.upsertBatch(candidates, { now: new Date(), ttlDays: {} });
    const deps: AccountDeps = { accounts: new AccountsRepository(store.db), keys: new KeysRepository(store.db), plans: resolvePlans({}) };
    const { key } = await newKey(deps, 'pro');
    expectedIds = new Set(candidates.filter((c) => isSigmaRuleType(c.type)).map((c) => iocId(c.type, c.value)));
    await store.close();

    const started = await startServer(db.url);
    server = started.child;
    // Page by cursor; each page is its own YAML stream, so each goes to its own file.
    let path = '/api/v1/iocs/sigma?limit=10000';
    for (let page = 1; page <= 20; page++) {
      const r = await fetch(`${started.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      expect(r.status).toBe(200);
      const text = await r.text();
      writeFileSync(join(rulesDir, `page-${String(page).padStart(2, '0')}.yml`), text);
      rules.push(...(parseRules(text) as Rule[]));
      if (r.headers.get('x-has-more') !== 'true') break;
      path = `/api/v1/iocs/sigma?limit=10000&cursor=${encodeURIComponent(r.headers.get('x-next-cursor') ?? '')}`;
    }

    // pySigma >= 1.0 downloads ATT&CK and D3FEND on first use; fill its caches from config/sigma/.
    for (const sigma of new Set([SIGMA, SIGMA_QRADAR])) {
      await run(join(dirname(sigma), 'python'), [join(ROOT, 'test', 'interop', 'py', 'prime_mitre_cache.py'), join(ROOT, 'config', 'sigma')], {
        env: { ...process.env, HOME: home },
      });
    }
  }, 300_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((ok) => server?.once('exit', ok));
      server.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('serves a rule for every demo and shared-data IOC of a rule type', () => {
    expect(rules.length).toBeGreaterThan(1000);
    expect(new Set(rules.map((r) => r.id))).toEqual(expectedIds);
  });

  it.concurrent('passes sigma check with config/sigma-check.yml: no errors, no issues', async () => {
    const { stdout } = await run(SIGMA, ['check', '-c', join(ROOT, 'config', 'sigma-check.yml'), '--fail-on-issues', rulesDir], {
      env: { ...process.env, HOME: home },
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(stdout).toMatch(/Found 0 errors, 0 condition errors and 0 issues/);
  }, 300_000);

  it.concurrent('gives Splunk one saved search per rule, each under its own name (-f savedsearches)', async () => {
    const splunk = targets()[0] as Target;
    const outFile = join(work, 'savedsearches.conf');
    await run(SIGMA, ['convert', ...splunk.args, '-f', 'savedsearches', '-o', outFile, rulesDir], {
      env: { ...process.env, HOME: home },
      maxBuffer: 64 * 1024 * 1024,
    });
    const stanzas = readFileSync(outFile, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('['))
      .filter((l) => l !== '[default]');
    expect(stanzas).toHaveLength(rules.length);
    expect(new Set(stanzas).size).toBe(rules.length);
  }, 600_000);

  for (const target of hasSigma ? targets() : []) {
    it.concurrent(`converts every rule for ${target.name}: sigma ${target.args.map((a) => a.replace(ROOT + '/', '')).join(' ')}`, async () => {
      const available = requireDependency(
        `sigma-cli target ${target.args[1] ?? ''}`,
        cliTargets(target.sigma).includes(target.args[1] ?? '?'),
        `${target.sigma} lacks the backend (see .ci/requirements-interop.txt)`,
      );
      if (!available) return;
      const outFile = join(work, `${target.name.replace(/\W+/g, '-')}.txt`);
      // --fail-unsupported is the default: one rule a backend cannot convert fails the run.
      await run(target.sigma, ['convert', ...target.args, '-o', outFile, rulesDir], {
        env: { ...process.env, HOME: home },
        maxBuffer: 64 * 1024 * 1024,
      });
      const queries = readFileSync(outFile, 'utf8').trim().split(/\n\s*\n/);
      expect(queries).toHaveLength(rules.length);
      const missing = rules.filter((rule, i) => !comparable(queries[i] ?? '').includes(comparable(iocValueOf(rule))));
      expect(missing.map((r) => `${r.id}: ${iocValueOf(r)}`).slice(0, 10)).toEqual([]);
    }, 600_000);
  }
});
