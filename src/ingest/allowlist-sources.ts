import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadAllowlist, type Allowlist } from './allowlist.js';
import type { AllowlistSource } from './feeds-config.js';
import { fetchFeed, type FeedValidators } from './fetch.js';

/**
 * Resolves the feed config's allowlists to files and builds one matcher. A `url` source is
 * downloaded into `cacheDir` with a conditional GET; offline, the last downloaded copy is used,
 * and with no copy at all the list is reported as missing (ingest still runs).
 */
export async function loadConfiguredAllowlist(
  sources: readonly AllowlistSource[],
  cacheDir: string,
): Promise<{ allowlist: Allowlist; errors: string[] }> {
  const paths: string[] = [];
  const errors: string[] = [];
  for (const source of sources) {
    if (source.path) {
      paths.push(source.path);
      continue;
    }
    if (!source.url) continue;
    const cached = await refreshCachedList(source.name, source.url, cacheDir);
    if (cached.error) errors.push(`${source.name}: ${cached.error}`);
    if (cached.path) paths.push(cached.path);
  }
  const loaded = await loadAllowlist(paths);
  return { allowlist: loaded.allowlist, errors: [...errors, ...loaded.errors] };
}

const RECHECK_MS = 6 * 3_600_000;

interface CacheMeta extends FeedValidators {
  checked_at?: string;
  last_error?: string | null;
}

async function refreshCachedList(name: string, url: string, cacheDir: string): Promise<{ path: string | null; error?: string }> {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  const file = join(cacheDir, `${safe}.json`);
  const metaFile = join(cacheDir, `${safe}.meta.json`);
  const have = existsSync(file);
  let meta: CacheMeta = {};
  if (existsSync(metaFile)) {
    try {
      meta = JSON.parse(await readFile(metaFile, 'utf8')) as CacheMeta;
    } catch {
      meta = {};
    }
  }
  // Warninglists change slowly: ask upstream at most every few hours, so that every ingest
  // (and every ingest of an offline machine) does not wait on the network.
  if (meta.checked_at && Date.now() - Date.parse(meta.checked_at) < RECHECK_MS) {
    return have ? { path: file } : { path: null, error: meta.last_error ?? 'not downloaded yet' };
  }
  const outcome = await fetchFeed({ url, validators: have ? meta : undefined, timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024 });
  const checked_at = new Date().toISOString();
  await mkdir(cacheDir, { recursive: true });
  if (outcome.status === 'not_modified') {
    await writeFile(metaFile, JSON.stringify({ ...meta, checked_at, last_error: null }));
    return { path: file };
  }
  if (outcome.status === 'error') {
    const error = `${outcome.error.code}: ${outcome.error.message}${have ? ' (using the cached copy)' : ''}`;
    await writeFile(metaFile, JSON.stringify({ ...meta, checked_at, last_error: error }));
    return { path: have ? file : null, error };
  }
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of outcome.body) chunks.push(chunk);
  } catch (err) {
    return { path: have ? file : null, error: err instanceof Error ? err.message : String(err) };
  }
  // Write beside and rename, so a crash never leaves a half-written list behind.
  await writeFile(`${file}.tmp`, Buffer.concat(chunks));
  await rename(`${file}.tmp`, file);
  await writeFile(metaFile, JSON.stringify({ ...outcome.validators, checked_at, last_error: null }));
  return { path: file };
}
