import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** What a server said about the copy we have: sent back as If-None-Match / If-Modified-Since. */
export interface FeedValidators {
  etag?: string | null;
  last_modified?: string | null;
}

export const FETCH_ERROR_CODES = [
  'invalid_url',
  'dns_failure',
  'connection_refused',
  'timeout',
  'http_error',
  'too_large',
  'network_error',
  'not_found',
  'unreadable',
] as const;
export type FetchErrorCode = (typeof FETCH_ERROR_CODES)[number];

/** Why a feed could not be fetched: a status for the feed, never a crash. */
export interface FetchError {
  code: FetchErrorCode;
  message: string;
  /** The HTTP status, for `http_error`. */
  httpStatus?: number;
}

export type FetchOutcome =
  | { status: 'ok'; body: AsyncIterable<Buffer>; validators: FeedValidators; contentLength: number | null }
  | { status: 'not_modified'; validators: FeedValidators }
  | { status: 'error'; error: FetchError };

/**
 * Thrown while reading a body that fails midway (the server stalls, the connection drops, the
 * size guard trips). It carries the same codes as a FetchError, so the caller records it as the
 * feed's status.
 */
export class FeedBodyError extends Error {
  constructor(
    readonly code: FetchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FeedBodyError';
  }
}

export interface FetchFeedOptions {
  url: string;
  /** From the last successful fetch; makes the request conditional. */
  validators?: FeedValidators;
  headers?: Record<string, string>;
  /** Milliseconds to wait for the response headers, and at most between two body chunks. Default 60 s. */
  timeoutMs?: number;
  /** Bytes (after decompression) beyond which the download fails. Default 512 MiB. */
  maxBytes?: number;
}

const USER_AGENT = 'soc-defenders/0.1 (+https://github.com/soc-defenders; feed fetcher)';

/**
 * Fetches a feed URL with a conditional GET (If-None-Match / If-Modified-Since from the stored
 * validators): 304 → `not_modified`; 2xx → `ok` with the body as a stream; anything else, or no
 * network, or no DNS → `error` with a code. Never throws; reading the body may throw a
 * FeedBodyError (stall, size guard, dropped connection).
 *
 * @example
 * const r = await fetchFeed({ url, validators: { etag: feed.etag, last_modified: feed.last_modified } });
 * if (r.status === 'ok') await runIngest({ input: r.body, ... });
 */
export async function fetchFeed(options: FetchFeedOptions): Promise<FetchOutcome> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxBytes = options.maxBytes ?? 512 * 1024 * 1024;
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    return error('invalid_url', `not a URL: ${options.url}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return error('invalid_url', `not an http(s) URL: ${options.url}`);

  const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: '*/*', ...options.headers };
  if (options.validators?.etag) headers['if-none-match'] = options.validators.etag;
  if (options.validators?.last_modified) headers['if-modified-since'] = options.validators.last_modified;

  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: controller.signal, redirect: 'follow' });
  } catch (err) {
    clearTimeout(timer);
    return { status: 'error', error: networkError(err, url, timeoutMs) };
  }
  clearTimeout(timer);

  const validators: FeedValidators = {
    etag: response.headers.get('etag'),
    last_modified: response.headers.get('last-modified'),
  };
  if (response.status === 304) {
    await response.body?.cancel().catch(() => undefined);
    return { status: 'not_modified', validators: { etag: validators.etag ?? options.validators?.etag ?? null, last_modified: validators.last_modified ?? options.validators?.last_modified ?? null } };
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel().catch(() => undefined);
    return { status: 'error', error: { code: 'http_error', message: `${url.host} answered HTTP ${response.status} ${response.statusText}`.trim(), httpStatus: response.status } };
  }
  const declared = Number(response.headers.get('content-length'));
  const contentLength = Number.isFinite(declared) && response.headers.has('content-length') ? declared : null;
  if (contentLength !== null && contentLength > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return error('too_large', `${url.host} announces ${contentLength} bytes, over the ${maxBytes}-byte limit`);
  }
  const stream = response.body;

  async function* body(): AsyncGenerator<Buffer> {
    if (!stream) return;
    let total = 0;
    const reader = stream.getReader();
    const restart = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
    };
    try {
      restart();
      for (;;) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await reader.read();
        } catch (err) {
          const e = networkError(err, url, timeoutMs);
          throw new FeedBodyError(e.code, `${e.message} (after ${total} bytes)`);
        }
        if (next.done) return;
        total += next.value.byteLength;
        if (total > maxBytes) throw new FeedBodyError('too_large', `${url.host} sent more than the ${maxBytes}-byte limit`);
        restart();
        yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      }
    } finally {
      clearTimeout(timer);
      // Stopping early (a parser gave up, the size guard tripped) must free the connection.
      controller.abort();
      reader.releaseLock();
    }
  }
  return { status: 'ok', body: body(), validators, contentLength };
}

/**
 * A `path` feed: the file streamed from disk, with its modification time as Last-Modified so an
 * unchanged file is `not_modified` like a URL feed. A missing or unreadable file is an error status.
 */
export async function openFeedFile(path: string, validators?: FeedValidators): Promise<FetchOutcome> {
  let mtime: string;
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) return error('unreadable', `${path} is not a file`);
    mtime = s.mtime.toUTCString();
    size = s.size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not_found' : 'unreadable';
    return error(code, `${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (validators?.last_modified === mtime) return { status: 'not_modified', validators: { etag: null, last_modified: mtime } };
  return { status: 'ok', body: createReadStream(path), validators: { etag: null, last_modified: mtime }, contentLength: size };
}

/** The reason an abort was ours (a timeout), told apart from other aborts. */
class TimeoutSignal extends Error {
  constructor() {
    super('timed out');
    this.name = 'TimeoutError';
  }
}

function error(code: FetchErrorCode, message: string): FetchOutcome {
  return { status: 'error', error: { code, message } };
}

/** Maps what fetch (undici) throws to a stable code and a sentence for the feed status. */
function networkError(err: unknown, url: URL, timeoutMs: number): FetchError {
  const causeCode = errorCode(err);
  if (err instanceof TimeoutSignal || (err instanceof Error && err.name === 'TimeoutError') || causeCode === 'UND_ERR_CONNECT_TIMEOUT' || causeCode === 'UND_ERR_HEADERS_TIMEOUT' || causeCode === 'UND_ERR_BODY_TIMEOUT') {
    const wait = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
    return { code: 'timeout', message: `${url.host} did not answer within ${wait}` };
  }
  if (causeCode === 'ENOTFOUND' || causeCode === 'EAI_AGAIN' || causeCode === 'EAI_NONAME' || causeCode === 'EAI_FAIL') {
    return { code: 'dns_failure', message: `cannot resolve ${url.hostname} (offline or no DNS?)` };
  }
  if (causeCode === 'ECONNREFUSED') return { code: 'connection_refused', message: `${url.host} refused the connection` };
  const detail = causeCode ?? innermostMessage(err);
  return { code: 'network_error', message: `fetching ${url.host} failed: ${detail}` };
}

function innermostMessage(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; depth++) {
    message = e.message;
    e = e.cause;
  }
  return message;
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
