/**
 * The Splunk HEC destination: IOC versions as HEC event envelopes (export/splunk.ts) POSTed,
 * concatenated and gzip-compressed, to `<url>/services/collector/event` with
 * `Authorization: Splunk <token>`. With indexer acknowledgement on, every request carries the
 * run's channel (`X-Splunk-Request-Channel`, a fresh GUID per run) and is durable only once
 * `/services/collector/ack` confirms its ackId.
 */
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback, type InputType, type ZlibOptions } from 'node:zlib';
import { HecEnvelopeWriter } from '../export/splunk.js';
import type { SplunkHecDestination } from './config.js';
import { classifyHecAck, classifyHecSend } from './hec-codes.js';
import type { HttpPoster, HttpResult } from './http-post.js';
import type { AckPollOutcome, PushRow, PushSink, SendOutcome } from './sink.js';

const gzip = promisify<InputType, ZlibOptions, Buffer>(gzipCallback);
/** zlib output chunk: a compressed batch fits in a few (the 16 KB default costs a callback per chunk). */
export const GZIP_CHUNK = 256 * 1024;

/** `https://splunk:8088` → `https://splunk:8088/services/collector/event`; a full collector URL is kept. */
export function hecEndpoints(base: string): { event: URL; ack: URL } {
  const u = new URL(base);
  const path = u.pathname.replace(/\/+$/, '');
  const m = /^(.*\/services\/collector)(\/event(?:\/1\.0)?)?$/.exec(path);
  const root = m ? (m[1] as string) : `${path}/services/collector`;
  const event = new URL(u);
  event.pathname = m?.[2] ? path : `${root}/event`;
  const ack = new URL(u);
  ack.pathname = `${root}/ack`;
  return { event, ack };
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

export function createHecSink(dest: SplunkHecDestination, http: HttpPoster): PushSink {
  const { event: eventUrl, ack: ackUrl } = hecEndpoints(dest.url);
  const writer = new HecEnvelopeWriter({ host: dest.host, source: dest.source, sourcetype: dest.sourcetype, index: dest.index });
  const overhead = writer.overhead;
  const channel = dest.ack.enabled ? randomUUID() : null;
  const headers: Record<string, string> = {
    Authorization: `Splunk ${dest.token}`,
    'Content-Type': 'application/json',
    'User-Agent': 'soc-defenders-push',
  };
  if (dest.gzip) headers['Content-Encoding'] = 'gzip';
  if (channel) {
    headers['X-Splunk-Request-Channel'] = channel;
    ackUrl.searchParams.set('channel', channel);
  }
  const ackHeaders: Record<string, string> = { Authorization: headers.Authorization as string, 'Content-Type': 'application/json' };
  if (channel) ackHeaders['X-Splunk-Request-Channel'] = channel;

  return {
    size: (row: PushRow): number => row.doc.length + overhead,

    async send(rows, signal): Promise<SendOutcome> {
      const text = writer.encode(rows);
      const body = dest.gzip ? await gzip(text, { level: dest.gzipLevel, chunkSize: GZIP_CHUNK }) : text;
      const r = await http.post(eventUrl, body, headers, dest.timeoutMs, signal);
      return r.kind === 'response' ? classifyHecSend(r.status, r.headers, r.body) : transportOutcome(r);
    },

    acks: channel
      ? {
          pollMs: dest.ack.pollMs,
          timeoutMs: dest.ack.timeoutMs,
          async poll(ackIds, signal): Promise<AckPollOutcome> {
            const r = await http.post(ackUrl, JSON.stringify({ acks: ackIds }), ackHeaders, dest.timeoutMs, signal);
            if (r.kind !== 'response') return { kind: 'retry', reason: r.kind === 'aborted' ? 'aborted' : r.message };
            return classifyHecAck(r.status, r.body);
          },
        }
      : null,

    close: () => http.close(),
  };
}
