/**
 * What the HTTP destinations share around a request: compressing a body, and what a request
 * that got no answer means for the batch (retry, possibly duplicated, or stop).
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback, type InputType, type ZlibOptions } from 'node:zlib';
import type { HttpResult } from './http-post.js';
import type { SendOutcome } from './sink.js';

const gzip = promisify<InputType, ZlibOptions, Buffer>(gzipCallback);

/** zlib output chunk: a compressed batch fits in one or two (the 16 KB default costs a callback per chunk). */
const GZIP_CHUNK = 256 * 1024;

/** A request body gzip-compressed off the main thread (libuv's thread pool). */
export function gzipBody(body: Buffer, level: number): Promise<Buffer> {
  return gzip(body, { level, chunkSize: GZIP_CHUNK });
}

/** OpenSSL verification failures: a certificate problem does not go away by retrying. */
const TLS_VERIFY_ERRORS = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_TLS_CERT_ALTNAME_INVALID)/;

/** A failed request as a send outcome: timeouts and resets are retried; `sent` makes them ambiguous. */
export function transportOutcome(r: Exclude<HttpResult, { kind: 'response' }>): SendOutcome {
  if (r.kind === 'aborted') return { kind: 'retry', reason: 'aborted', retryAfterMs: 0, ambiguous: true };
  if (r.kind === 'network' && r.code && TLS_VERIFY_ERRORS.test(r.code)) {
    return {
      kind: 'fatal',
      code: 'tls_verification_failed',
      reason: `the server's TLS certificate was not accepted (${r.message}): set tls.ca_file to the CA that signed it (tls.verify: false only for a lab)`,
    };
  }
  return { kind: 'retry', reason: `${r.kind === 'timeout' ? 'timeout' : 'network error'}: ${r.message}`, retryAfterMs: 0, ambiguous: r.sent };
}
