/**
 * The one HTTP client of the push connectors: POST with a deadline over keep-alive connections,
 * TLS verification on unless a destination turns it off, an optional CA file for private PKI.
 * Failures are values, not exceptions, and say whether the request body had been sent in full:
 * a body that reached the server may have been processed (its response lost), which is what
 * makes a resend a possible duplicate.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export type HttpResult =
  | { kind: 'response'; status: number; headers: IncomingHttpHeaders; body: string }
  | { kind: 'timeout' | 'network'; message: string; sent: boolean; code?: string }
  | { kind: 'aborted' };

export interface HttpPosterOptions {
  tlsVerify: boolean;
  caFile: string | null;
  /** Concurrent connections (the destination's batches in flight, plus one for ack polls). */
  maxSockets: number;
}

/** Responses larger than this are cut (HEC answers are a few hundred bytes). */
const MAX_RESPONSE_BYTES = 256 * 1024;

export class HttpPoster {
  readonly #http: HttpAgent;
  readonly #https: HttpsAgent;

  constructor(opts: HttpPosterOptions) {
    this.#http = new HttpAgent({ keepAlive: true, maxSockets: opts.maxSockets });
    this.#https = new HttpsAgent({
      keepAlive: true,
      maxSockets: opts.maxSockets,
      rejectUnauthorized: opts.tlsVerify,
      ...(opts.caFile ? { ca: readFileSync(opts.caFile) } : {}),
    });
  }

  /** POST `body` to `url`; resolves (never rejects) with the response or why there is none. */
  post(url: URL, body: string | Buffer, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<HttpResult> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve({ kind: 'aborted' });
      const https = url.protocol === 'https:';
      const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      let settled = false;
      let sent = false;
      const finish = (r: HttpResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const req = (https ? httpsRequest : httpRequest)(url, {
        method: 'POST',
        agent: https ? this.#https : this.#http,
        headers: { ...headers, 'Content-Length': String(payload.length) },
      });
      const timer = setTimeout(() => {
        finish({ kind: 'timeout', message: `no response within ${timeoutMs} ms`, sent });
        req.destroy();
      }, timeoutMs);
      const onAbort = (): void => {
        finish({ kind: 'aborted' });
        req.destroy();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('finish', () => {
        sent = true;
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        finish({ kind: 'network', message: err.code ? `${err.code}: ${err.message}` : err.message, sent, ...(err.code ? { code: err.code } : {}) });
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => {
          finish({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (err) => finish({ kind: 'network', message: err.message, sent: true }));
      });
      req.end(payload);
    });
  }

  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }
}
