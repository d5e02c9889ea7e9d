/**
 * A local Splunk HTTP Event Collector for tests (node:http on 127.0.0.1), speaking the protocol
 * as Splunk documents it ("Format events for HTTP Event Collector", "Troubleshoot HTTP Event
 * Collector", "About HTTP Event Collector Indexer Acknowledgment"):
 * - `Authorization: Splunk <token>` (or Basic with the token as password): missing → 401 code 2
 *   "Token is required"; another scheme → 401 code 3 "Invalid authorization"; unknown → 403
 *   code 4 "Invalid token"; disabled → 403 code 1 "Token disabled".
 * - POST /services/collector/event (also /services/collector, /event/1.0): envelopes concatenated,
 *   gzip accepted; `{"text":"Success","code":0}`; empty → 400 code 5 "No data"; unparsable → 400
 *   code 6 "Invalid data format"; no `event` → 400 code 12; blank event → 400 code 13; an index
 *   the token may not use → 400 code 7 "Incorrect index"; each with `invalid-event-number`, the
 *   events before it indexed (HEC reads a batch in order).
 * - Tokens with indexer acknowledgement: a channel (X-Splunk-Request-Channel or ?channel=) is
 *   required (400 code 10 "Data channel is missing", code 11 "Invalid data channel" for a
 *   non-GUID); answers carry `ackId` (per channel, from 0); POST /services/collector/ack
 *   `{"acks":[...]}` → `{"acks":{"<id>":true|false}}`; ack on a token without it → 400 code 14.
 * - GET /services/collector/health → `{"text":"HEC is healthy","code":17}`.
 * Faults are queued per event request: error answers (503 code 9 "Server is busy", 429, 500...),
 * hangs and connection resets before or after indexing, lost acks, refused events, 413.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface HecToken {
  ack?: boolean;
  disabled?: boolean;
  /** Indexes the token may write to (absent: any). */
  indexes?: string[];
}

export type HecFault =
  /** No fault for this request (to script a sequence). */
  | { kind: 'none' }
  /** Answer this without indexing anything. */
  | { kind: 'status'; status: number; code?: number; text?: string; retryAfter?: number }
  /** Never answer; with afterIndex the events are indexed first (the answer is what gets lost). */
  | { kind: 'hang'; afterIndex: boolean }
  /** Close the connection without an answer, before or after indexing. */
  | { kind: 'reset'; afterIndex: boolean }
  /** Index and answer with an ackId that never turns true. */
  | { kind: 'lose-ack' }
  /** Refuse event `index` of the request (code 6 by default); the events before it are indexed. */
  | { kind: 'reject-event'; index: number; code?: number }
  /** 413 Content-Length too large, nothing indexed. */
  | { kind: 'too-large' };

export interface ReceivedEvent {
  envelope: Record<string, unknown>;
  request: number;
  channel: string | null;
}

export interface RequestRecord {
  n: number;
  path: string;
  events: number;
  gzip: boolean;
  status: number;
  channel: string | null;
  fault: HecFault['kind'] | null;
}

export interface HecServerOptions {
  tokens: Record<string, HecToken>;
  /** Milliseconds before an accepted request's ack turns true. */
  ackDelayMs?: number;
  /** Milliseconds every event request waits before it is processed (to slow a pusher down). */
  delayMs?: number;
  /** Requests larger than this (decompressed) are refused with 413. */
  maxContentBytes?: number;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

export interface HecServer {
  url: string;
  /** Every indexed event, in order. */
  events: ReceivedEvent[];
  /** Every event request, in order. */
  requests: RequestRecord[];
  ackPolls: number;
  /** Ack ids answered `true` so far (over all channels). */
  acksReported: number;
  /** Faults applied to the next event requests, one per request, in order. */
  faults: HecFault[];
  /** Runs after a request's events are indexed, before it is answered (e.g. to kill the sender). */
  afterIndex: ((request: RequestRecord) => void) | null;
  /** Forget every ack channel, as a restarted Splunk does. */
  forgetChannels(): void;
  /** Resolves once no request is being processed (a sender that died may have left some in progress). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function reply(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Splits `{...}{...}` (whitespace allowed between) into object texts; a trailing fragment is returned as is. */
export function splitConcatenated(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) {
        out.push(text.slice(start, i + 1));
        start = -1;
      }
    } else if (depth === 0 && !/\s/.test(c as string)) {
      // Garbage between objects: hand it over as one unparsable "event".
      out.push(text.slice(i));
      return out;
    }
  }
  if (depth !== 0 && start >= 0) out.push(text.slice(start));
  return out;
}

function tokenOf(req: IncomingMessage): { token: string | null; badScheme: boolean } {
  const auth = req.headers.authorization;
  if (!auth) return { token: null, badScheme: false };
  const [scheme, value = ''] = auth.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'splunk') return { token: value, badScheme: false };
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return { token: decoded.slice(decoded.indexOf(':') + 1), badScheme: false };
  }
  return { token: null, badScheme: true };
}

export async function startHecServer(opts: HecServerOptions): Promise<HecServer> {
  const events: ReceivedEvent[] = [];
  const requests: RequestRecord[] = [];
  const faults: HecFault[] = [];
  const sockets = new Set<Socket>();
  // channel → next ackId and the time each ackId turns true (Infinity: lost).
  const channels = new Map<string, { next: number; readyAt: Map<number, number> }>();
  const state: { ackPolls: number; acksReported: number; afterIndex: HecServer['afterIndex']; busy: number } = {
    ackPolls: 0,
    acksReported: 0,
    afterIndex: null,
    busy: 0,
  };

  const authorize = (req: IncomingMessage, res: ServerResponse): HecToken | null => {
    const { token, badScheme } = tokenOf(req);
    if (badScheme) return reply(res, 401, { text: 'Invalid authorization', code: 3 }), null;
    if (token === null || token === '') return reply(res, 401, { text: 'Token is required', code: 2 }), null;
    const t = opts.tokens[token];
    if (!t) return reply(res, 403, { text: 'Invalid token', code: 4 }), null;
    if (t.disabled) return reply(res, 403, { text: 'Token disabled', code: 1 }), null;
    return t;
  };

  const channelOf = (req: IncomingMessage, url: URL): string | null => {
    const h = req.headers['x-splunk-request-channel'];
    return (typeof h === 'string' && h !== '' ? h : url.searchParams.get('channel')) || null;
  };

  const handleEvents = async (req: IncomingMessage, res: ServerResponse, url: URL, token: HecToken, raw: Buffer): Promise<void> => {
    const gzip = req.headers['content-encoding'] === 'gzip';
    const channel = channelOf(req, url);
    const record: RequestRecord = { n: requests.length + 1, path: url.pathname, events: 0, gzip, status: 0, channel, fault: null };
    requests.push(record);
    const answer = (status: number, body: object, headers: Record<string, string> = {}): void => {
      record.status = status;
      reply(res, status, body, headers);
    };
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    if (token.ack) {
      if (!channel) return answer(400, { text: 'Data channel is missing', code: 10 });
      if (!GUID.test(channel)) return answer(400, { text: 'Invalid data channel', code: 11 });
    }
    const fault = faults.shift() ?? null;
    record.fault = fault && fault.kind !== 'none' ? fault.kind : null;
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      return answer(fault.status, { text: fault.text ?? 'Server is busy', code: fault.code ?? 9 }, headers);
    }
    if (fault?.kind === 'too-large') return answer(413, { text: 'Content-Length of 2000000 too large (maximum is 1000000)', code: 27 });
    if ((fault?.kind === 'hang' || fault?.kind === 'reset') && !fault.afterIndex) {
      if (fault.kind === 'reset') req.socket.destroy();
      return;
    }
    let text: string;
    try {
      text = (gzip ? gunzipSync(raw) : raw).toString('utf8');
    } catch {
      return answer(400, { text: 'Invalid data format', code: 6, 'invalid-event-number': 0 });
    }
    if (opts.maxContentBytes !== undefined && Buffer.byteLength(text) > opts.maxContentBytes) {
      return answer(413, { text: `Content-Length of ${Buffer.byteLength(text)} too large (maximum is ${opts.maxContentBytes})`, code: 27 });
    }
    const parts = splitConcatenated(text);
    if (parts.length === 0) return answer(400, { text: 'No data', code: 5 });
    const indexed: ReceivedEvent[] = [];
    let refusal: { code: number; text: string; n: number } | null = null;
    for (let i = 0; i < parts.length; i++) {
      if (fault?.kind === 'reject-event' && fault.index === i) {
        refusal = { code: fault.code ?? 6, text: 'Invalid data format', n: i };
        break;
      }
      let envelope: Record<string, unknown>;
      try {
        const v: unknown = JSON.parse(parts[i] as string);
        if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
        envelope = v as Record<string, unknown>;
      } catch {
        refusal = { code: 6, text: 'Invalid data format', n: i };
        break;
      }
      if (!('event' in envelope)) {
        refusal = { code: 12, text: 'Event field is required', n: i };
        break;
      }
      if (envelope.event === '' || envelope.event === null) {
        refusal = { code: 13, text: 'Event field cannot be blank', n: i };
        break;
      }
      if (envelope.time !== undefined && !(typeof envelope.time === 'number' || /^\d+(\.\d+)?$/.test(String(envelope.time)))) {
        refusal = { code: 6, text: 'Invalid data format', n: i };
        break;
      }
      if (token.indexes && typeof envelope.index === 'string' && !token.indexes.includes(envelope.index)) {
        refusal = { code: 7, text: 'Incorrect index', n: i };
        break;
      }
      indexed.push({ envelope, request: record.n, channel });
    }
    events.push(...indexed);
    record.events = indexed.length;
    state.afterIndex?.(record);
    if (refusal) return answer(400, { text: refusal.text, code: refusal.code, 'invalid-event-number': refusal.n });
    if (fault?.kind === 'hang') return;
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (token.ack && channel) {
      let ch = channels.get(channel);
      if (!ch) {
        ch = { next: 0, readyAt: new Map() };
        channels.set(channel, ch);
      }
      const ackId = ch.next++;
      ch.readyAt.set(ackId, fault?.kind === 'lose-ack' ? Number.POSITIVE_INFINITY : Date.now() + (opts.ackDelayMs ?? 0));
      return answer(200, { text: 'Success', code: 0, ackId });
    }
    return answer(200, { text: 'Success', code: 0 });
  };

  const handleAck = (req: IncomingMessage, res: ServerResponse, url: URL, token: HecToken, raw: Buffer): void => {
    state.ackPolls++;
    if (!token.ack) return reply(res, 400, { text: 'ACK is disabled', code: 14 });
    const channel = channelOf(req, url);
    if (!channel) return reply(res, 400, { text: 'Data channel is missing', code: 10 });
    const ch = channels.get(channel);
    if (!GUID.test(channel) || !ch) return reply(res, 400, { text: 'Invalid data channel', code: 11 });
    let ids: unknown;
    try {
      ids = (JSON.parse(raw.toString('utf8')) as { acks?: unknown }).acks;
    } catch {
      ids = undefined;
    }
    if (!Array.isArray(ids)) return reply(res, 400, { text: 'Invalid data format', code: 6 });
    const now = Date.now();
    const acks: Record<string, boolean> = {};
    for (const id of ids) {
      const ready = ch.readyAt.get(Number(id));
      acks[String(id)] = ready !== undefined && ready <= now;
      // Splunk forgets an ack once it has reported it true.
      if (acks[String(id)]) {
        ch.readyAt.delete(Number(id));
        state.acksReported++;
      }
    }
    return reply(res, 200, { acks });
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Promise<void> => {
    const path = url.pathname.replace(/\/+$/, '');
    if (req.method === 'GET' && path === '/services/collector/health') return reply(res, 200, { text: 'HEC is healthy', code: 17 });
    const isEvent = path === '/services/collector' || path === '/services/collector/event' || path === '/services/collector/event/1.0';
    const isAck = path === '/services/collector/ack';
    if (req.method !== 'POST' || (!isEvent && !isAck)) return reply(res, 404, { text: 'The requested URL was not found on this server.', code: 404 });
    const token = authorize(req, res);
    if (!token) return;
    if (isAck) return handleAck(req, res, url, token, raw);
    return handleEvents(req, res, url, token, raw);
  };

  const handler: RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://hec.local');
    state.busy++;
    void readBody(req)
      .then((raw) => route(req, res, url, raw))
      .catch(() => undefined)
      .finally(() => state.busy--);
  };

  const server: Server = opts.tls ? createTlsServer(opts.tls, handler) : createServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    events,
    requests,
    faults,
    get ackPolls() {
      return state.ackPolls;
    },
    get acksReported() {
      return state.acksReported;
    },
    get afterIndex() {
      return state.afterIndex;
    },
    set afterIndex(fn) {
      state.afterIndex = fn;
    },
    forgetChannels: () => channels.clear(),
    idle: async () => {
      while (state.busy > 0) await new Promise((r) => setTimeout(r, 10));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
