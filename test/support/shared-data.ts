import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireDependency } from './require.js';

/** ../shared/data beside the project checkout (as in every developer's and CI's checkout). */
export const SHARED_DATA = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data');

export const hasSharedData = requireDependency(
  '../shared/data',
  existsSync(SHARED_DATA),
  `expected the shared test data at ${SHARED_DATA}`,
);

export function sharedFile(...parts: string[]): string {
  return join(SHARED_DATA, ...parts);
}
