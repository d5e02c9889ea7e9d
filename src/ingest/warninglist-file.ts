import { readFile } from 'node:fs/promises';
import { asArray, asObject } from './record-fields.js';

/** The list types of the MISP warninglist format that we match on. */
export const WARNINGLIST_TYPES = ['cidr', 'hostname', 'string', 'substring'] as const;
export type WarninglistType = (typeof WARNINGLIST_TYPES)[number];

/** A MISP warninglist (https://github.com/MISP/misp-warninglists, `lists/<name>/list.json`). */
export interface Warninglist {
  name: string;
  type: WarninglistType;
  /** MISP attribute types the list applies to; empty: every type. */
  matching_attributes: string[];
  list: string[];
}

export type WarninglistResult =
  | { ok: true; warninglist: Warninglist }
  | { ok: false; code: 'warninglist_unreadable' | 'warninglist_invalid' | 'warninglist_unsupported'; message: string };

/**
 * Validates a parsed warninglist document. `regex` lists are refused (`warninglist_unsupported`):
 * an untested pattern run against every IOC is a slow-down we do not take blindly.
 */
export function parseWarninglist(doc: unknown, source: string): WarninglistResult {
  const obj = asObject(doc);
  if (!obj) return { ok: false, code: 'warninglist_invalid', message: `${source}: not a JSON object` };
  const type = obj.type;
  if (type === 'regex') return { ok: false, code: 'warninglist_unsupported', message: `${source}: regex warninglists are not supported` };
  if (typeof type !== 'string' || !(WARNINGLIST_TYPES as readonly string[]).includes(type)) {
    return { ok: false, code: 'warninglist_invalid', message: `${source}: type must be one of ${WARNINGLIST_TYPES.join(', ')}` };
  }
  if (!Array.isArray(obj.list)) return { ok: false, code: 'warninglist_invalid', message: `${source}: list must be an array` };
  const list = obj.list.filter((v): v is string => typeof v === 'string');
  const name = typeof obj.name === 'string' && obj.name.trim() ? obj.name.trim() : source;
  const matching = asArray(obj.matching_attributes).filter((v): v is string => typeof v === 'string');
  return { ok: true, warninglist: { name, type: type as WarninglistType, matching_attributes: matching, list } };
}

/** Reads and validates a warninglist file. Never throws: a bad file is a result with a code. */
export async function loadWarninglist(path: string): Promise<WarninglistResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, code: 'warninglist_unreadable', message: `${path}: ${reason}` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'warninglist_invalid', message: `${path}: invalid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  return parseWarninglist(doc, path);
}

const UPSTREAM = 'https://raw.githubusercontent.com/MISP/misp-warninglists/main/lists';

/** One of the warninglists the shipped feed config enables, and why it is safe to allowlist. */
export interface DefaultWarninglist {
  name: string;
  url: string;
  why: string;
}

/**
 * The warninglists enabled by default (config/feeds.yaml lists the same ones). Chosen so that an
 * allowlisted IOC is certainly not worth blocking: public DNS resolvers (the 8.8.8.8-in-a-botnet-
 * list mistake), hashes of empty files, and the exact apex domains of the most used sites.
 * Left out on purpose: lists whose entries match whole subdomain trees of hosting platforms
 * (alexa, google, microsoft: *.sharepoint.com, *.blob.core.windows.net and sites.google.com
 * host real phishing) and cloud IP ranges (attackers rent them too).
 */
export const DEFAULT_WARNINGLISTS: readonly DefaultWarninglist[] = [
  { name: 'public-dns-v4', url: `${UPSTREAM}/public-dns-v4/list.json`, why: 'public DNS resolvers (IPv4)' },
  { name: 'public-dns-v6', url: `${UPSTREAM}/public-dns-v6/list.json`, why: 'public DNS resolvers (IPv6)' },
  { name: 'empty-hashes', url: `${UPSTREAM}/empty-hashes/list.json`, why: 'hashes of the empty file' },
  { name: 'cloudflare-top1k', url: `${UPSTREAM}/cloudflare-top1k/list.json`, why: 'the 1,000 most used domains (exact names only)' },
];
