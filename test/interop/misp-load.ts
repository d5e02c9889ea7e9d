import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { requireDependency } from '../support/require.js';

/** PyMISP in .venv, and the event as PyMISP reads it (test/interop/py/load_misp.py). */
const PYTHON = resolve('.venv/bin/python');

export const hasPyMisp = requireDependency(
  'pymisp',
  existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import pymisp'], { stdio: 'ignore' }).status === 0,
  'install .ci/requirements-interop.txt into .venv',
);

export interface PyMispAttribute {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  comment: string;
  tags: string[];
  first_seen: string | null;
  last_seen: string | null;
  timestamp: number;
}

export interface PyMispEvent {
  uuid: string;
  info: string;
  date: string;
  distribution: number;
  published: boolean;
  orgc: { name: string; uuid: string } | null;
  tags: string[];
  attributes: PyMispAttribute[];
}

/** Load an event with PyMISP (strict validation); throws with PyMISP's error when it refuses it. */
export function loadWithPyMisp(eventJson: string): PyMispEvent {
  const run = spawnSync(PYTHON, ['test/interop/py/load_misp.py'], {
    input: eventJson,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`PyMISP refused the event: ${run.stderr}`);
  return JSON.parse(run.stdout) as PyMispEvent;
}
