/**
 * Interop: schemathesis (from PyPI) fuzzes the running `socd serve --demo` through
 * /api/openapi.json with a valid pro key (scripts/schemathesis.sh starts the server and makes the
 * key). It passes only when no request gets a 5xx and every response matches its own schema.
 * Run inside `npm test`, so the README's test command is the whole of CI.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireDependency } from '../support/require.js';

const SCHEMATHESIS = resolve('.venv/bin/schemathesis');
const hasSchemathesis = requireDependency('schemathesis', existsSync(SCHEMATHESIS), 'install .ci/requirements-interop.txt into .venv');

interface Run {
  status: number | null;
  output: string;
}

function runScript(): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn('bash', ['scripts/schemathesis.sh'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, output }));
  });
}

describe.runIf(hasSchemathesis)('schemathesis against /api/openapi.json', () => {
  it('finds no 5xx and no response that breaks its schema', async () => {
    const run = await runScript();
    // The summary names how many cases ran; a run that generated none proves nothing.
    const cases = /(\d+) generated, (\d+) passed/.exec(run.output);
    if (run.status !== 0 || !cases) console.error(run.output);
    expect(run.status).toBe(0);
    expect(cases).not.toBeNull();
    expect(Number(cases?.[1])).toBeGreaterThan(1000);
    expect(cases?.[2]).toBe(cases?.[1]);
  }, 600_000);
});
