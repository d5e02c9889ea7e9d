import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { requireDependency } from '../support/require.js';

/** Python's standard XML parser and the OpenIOC 1.0 structure check (test/interop/py/parse_openioc.py). */
const PYTHON = resolve('.venv/bin/python');

export const hasPython = requireDependency('python3 in .venv', existsSync(PYTHON), 'create .venv (see .ci/run)');

export interface ParsedOpenIocItem {
  id: string;
  condition: string;
  document: string | null;
  search: string | null;
  context_type: string | null;
  content_type: string | null;
  content: string | null;
  comment: string | null;
}

export interface ParsedOpenIoc {
  id: string;
  last_modified: string;
  short_description: string | null;
  description: string | null;
  items: ParsedOpenIocItem[];
  errors: string[];
}

/** Parse a document; throws when it is not well-formed XML. */
export function parseOpenIoc(xml: string): ParsedOpenIoc {
  const run = spawnSync(PYTHON, ['test/interop/py/parse_openioc.py'], { input: xml, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`not a parseable OpenIOC document: ${run.stderr}`);
  return JSON.parse(run.stdout) as ParsedOpenIoc;
}
