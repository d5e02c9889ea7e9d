/**
 * The Splunk HEC destination: IOC versions as HEC event envelopes (export/splunk.ts) POSTed,
 * concatenated and gzip-compressed, to `<url>/services/collector/event` with
 * `Authorization: Splunk <token>`. With indexer acknowledgement on, every request carries the
 * run's channel (`X-Splunk-Request-Channel`, a fresh GUID per run) and is durable only once
 * `/services/collector/ack` confirms its ackId.
 */
import { randomUUID } from 'node:crypto';
import { HecEnvelopeWriter } from '../export/splunk.js';
import type { SplunkHecDestination } from './config.js';
import { classifyHecAck, classifyHecSend } from './hec-codes.js';
import type { HttpPoster } from './http-post.js';
import type { AckPollOutcome, PushRow, PushSink, SendOutcome } from './sink.js';
import { gzipBody, transportOutcome } from './transport.js';

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
      const body = dest.gzip ? await gzipBody(text, dest.gzipLevel) : text;
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
