/**
 * The syslog destination over the delivery engine, against real receivers on 127.0.0.1: TCP
 * (octet-counted frames parsed strictly), UDP (one datagram per message), TLS with a
 * self-signed certificate made by openssl for the test, and a TCP receiver that is down when
 * the push starts. Every IOC of the store arrives exactly once and parses as RFC 5424 (or CEF).
 */
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SyslogDestination } from '../../src/push/config.js';
import { runPush } from '../../src/push/run.js';
import type { Store } from '../../src/store/store.js';
import { parseCef } from '../export/cef-spec-parser.js';
import { parseSyslog, sdValues } from '../export/syslog-rfc5424-parser.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { useTestStore } from '../store/test-store.js';
import { duplicates, seed, testDestinationBase } from './support/fixtures.js';

interface Receiver {
  port: number;
  messages: string[];
  /** Framing errors seen (a frame that is not `<len> <msg>`). */
  errors: string[];
  close(): Promise<void>;
}

/** RFC 6587 octet counting, strictly: `MSG-LEN SP SYSLOG-MSG`, MSG-LEN = NONZERO-DIGIT *DIGIT. */
function frameReader(onMessage: (m: string) => void, onError: (e: string) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const sp = pending.indexOf(0x20);
      if (sp < 0) return;
      const len = pending.subarray(0, sp).toString('ascii');
      if (!/^[1-9]\d{0,8}$/.test(len)) {
        onError(`bad MSG-LEN "${len.slice(0, 20)}"`);
        pending = Buffer.alloc(0);
        return;
      }
      const end = sp + 1 + Number(len);
      if (pending.length < end) return;
      onMessage(pending.subarray(sp + 1, end).toString('utf8'));
      pending = pending.subarray(end);
    }
  };
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return (server.address() as AddressInfo).port;
}

async function startStreamReceiver(tlsFiles?: { key: string; cert: string }, port = 0): Promise<Receiver> {
  const state: Receiver = { port: 0, messages: [], errors: [], close: async () => undefined };
  const sockets = new Set<Socket>();
  const onSocket = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on(
      'data',
      frameReader(
        (m) => state.messages.push(m),
        (e) => state.errors.push(e),
      ),
    );
  };
  const server = tlsFiles
    ? createTlsServer({ key: readFileSync(tlsFiles.key), cert: readFileSync(tlsFiles.cert) }, onSocket)
    : createTcpServer(onSocket);
  if (tlsFiles) server.on('tlsClientError', () => undefined);
  state.port = await listen(server, port);
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return state;
}

async function startUdpReceiver(): Promise<Receiver & { socket: UdpSocket }> {
  const socket = createSocket('udp4');
  const state = { port: 0, messages: [] as string[], errors: [] as string[], socket, close: async (): Promise<void> => undefined };
  socket.on('message', (m: Buffer) => state.messages.push(m.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  state.port = socket.address().port;
  state.close = () => new Promise<void>((resolve) => socket.close(() => resolve()));
  return state;
}

function syslogDestination(port: number, o: Partial<SyslogDestination> = {}): SyslogDestination {
  const protocol = o.protocol ?? 'tcp';
  return {
    ...testDestinationBase(`${protocol}://127.0.0.1:${port}`),
    name: 'syslog-test',
    type: 'syslog',
    batch: { maxEvents: 7, maxBytes: 1_000_000 },
    gzip: false,
    maxInFlight: 2,
    host: '127.0.0.1',
    port,
    protocol,
    format: 'syslog',
    appName: 'socd',
    hostname: 'socd-test',
    enterpriseId: 32473,
    facility: 16,
    maxMessageBytes: 8192,
    oversize: 'truncate',
    ...o,
  };
}

async function storedValues(store: Store): Promise<Map<string, string>> {
  const rows = await store.db.selectFrom('iocs').select(['id', 'value']).execute();
  return new Map(rows.map((r) => [r.id, r.value]));
}

/** Every message is RFC 5424 with our SD element; returns the IOC ids, checking each carries its value. */
function idsOfSyslog(messages: readonly string[], stored: Map<string, string>): string[] {
  return messages.map((line) => {
    const msg = parseSyslog(line);
    expect(msg.appName).toBe('socd');
    expect(msg.hostname).toBe('socd-test');
    const el = msg.structuredData.find((e) => e.id === 'ioc@32473');
    expect(el, line).toBeDefined();
    const id = sdValues(el as NonNullable<typeof el>, 'id')[0] as string;
    expect(sdValues(el as NonNullable<typeof el>, 'value')).toEqual([stored.get(id)]);
    expect(msg.msg?.startsWith('CEF:0|')).toBe(true);
    return id;
  });
}

function expectExactlyOnce(ids: readonly string[], stored: Map<string, string>): void {
  expect(duplicates(ids)).toEqual(new Map());
  expect(new Set(ids)).toEqual(new Set(stored.keys()));
}

async function freePort(): Promise<number> {
  const s = createTcpServer();
  const port = await listen(s);
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe.each(DATABASE_KINDS)('syslog push (%s)', (kind) => {
  const db = useTestStore(kind);
  const receivers: Receiver[] = [];
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });

  it('TCP: octet-counted RFC 5424 frames, every IOC exactly once, checkpoint at head', async () => {
    await seed(db.store(), 40);
    const rx = await startStreamReceiver();
    receivers.push(rx);
    const r = await runPush(db.store(), syslogDestination(rx.port));
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.delivered).toBe(40);
    expect(r.checkpoint).toBe(r.head);
    await expect.poll(() => rx.messages.length).toBe(40);
    expect(rx.errors).toEqual([]);
    const stored = await storedValues(db.store());
    expectExactlyOnce(idsOfSyslog(rx.messages, stored), stored);

    // Nothing new: a second run sends nothing.
    const again = await runPush(db.store(), syslogDestination(rx.port));
    expect(again.status).toBe('ok');
    expect(again.delivered).toBe(0);
  });

  it('UDP: one datagram per message, every IOC exactly once', async () => {
    await seed(db.store(), 30);
    const rx = await startUdpReceiver();
    receivers.push(rx);
    const r = await runPush(db.store(), syslogDestination(rx.port, { protocol: 'udp' }));
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.delivered).toBe(30);
    await expect.poll(() => rx.messages.length).toBe(30);
    const stored = await storedValues(db.store());
    expectExactlyOnce(idsOfSyslog(rx.messages, stored), stored);
  });

  it('UDP: messages over max_message_bytes are truncated (at a character boundary) or skipped and counted', async () => {
    await seed(db.store(), 6);
    const rx = await startUdpReceiver();
    receivers.push(rx);
    const lines: string[] = [];
    const r = await runPush(db.store(), syslogDestination(rx.port, { protocol: 'udp', maxMessageBytes: 480 }), { log: (l) => lines.push(l) });
    expect(r.status).toBe('ok');
    await expect.poll(() => rx.messages.length).toBe(6);
    for (const m of rx.messages) expect(Buffer.byteLength(m)).toBeLessThanOrEqual(480);
    expect(lines.some((l) => /truncated/.test(l))).toBe(true);

    const skipRx = await startUdpReceiver();
    receivers.push(skipRx);
    const s = await runPush(db.store(), syslogDestination(skipRx.port, { name: 'syslog-skip', protocol: 'udp', maxMessageBytes: 480, oversize: 'skip' }));
    expect(s.status).toBe('ok');
    expect(s.skipped).toBe(6);
    expect(s.delivered).toBe(0);
    expect(s.checkpoint).toBe(s.head);
    expect(skipRx.messages).toEqual([]);
  });

  it('CEF format: bare CEF lines, octet-counted, each carrying the IOC value', async () => {
    await seed(db.store(), 14);
    const rx = await startStreamReceiver();
    receivers.push(rx);
    const r = await runPush(db.store(), syslogDestination(rx.port, { format: 'cef' }));
    expect(r.status, r.error?.message).toBe('ok');
    await expect.poll(() => rx.messages.length).toBe(14);
    const stored = await storedValues(db.store());
    const values = rx.messages.map((m) => {
      const ev = parseCef(m);
      return Object.values(ev.extension).find((v) => [...stored.values()].includes(v));
    });
    expect(new Set(values)).toEqual(new Set(stored.values()));
  });

  it('retries a receiver that is down when the push starts, then delivers everything once', async () => {
    await seed(db.store(), 20);
    const port = await freePort();
    let rx: Receiver | null = null;
    const up = setTimeout(() => {
      void startStreamReceiver(undefined, port).then((started) => {
        rx = started;
        receivers.push(started);
      });
    }, 150);
    const r = await runPush(db.store(), syslogDestination(port, { retry: { maxAttempts: 60, baseMs: 20, maxMs: 50 } }), { random: () => 1 });
    clearTimeout(up);
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.retries).toBeGreaterThan(0);
    // A refused connection sent nothing: no batch counts as possibly duplicated.
    expect(r.resent).toBe(0);
    expect(rx).not.toBeNull();
    const received = rx as unknown as Receiver;
    await expect.poll(() => received.messages.length).toBe(20);
    const stored = await storedValues(db.store());
    expectExactlyOnce(idsOfSyslog(received.messages, stored), stored);
  });

  it('gives up after max_attempts when the receiver never comes up, checkpoint unmoved', async () => {
    await seed(db.store(), 5);
    const r = await runPush(db.store(), syslogDestination(await freePort(), { retry: { maxAttempts: 3, baseMs: 1, maxMs: 2 } }));
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('retries_exhausted');
    expect(r.checkpoint).toBe(0);
  });
});

describe('syslog push over TLS', () => {
  const db = useTestStore('sqlite');
  let dir: string;
  let files: { key: string; cert: string };
  const receivers: Receiver[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'socd-syslog-tls-'));
    files = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
    // A self-signed certificate for 127.0.0.1 (node:crypto cannot make certificates).
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', files.key, '-out', files.cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
  });

  it('delivers every IOC exactly once to a receiver whose certificate the CA file vouches for', async () => {
    await seed(db.store(), 25);
    const rx = await startStreamReceiver(files);
    receivers.push(rx);
    const r = await runPush(db.store(), syslogDestination(rx.port, { protocol: 'tls', tls: { verify: true, caFile: files.cert } }));
    expect(r.status, r.error?.message).toBe('ok');
    expect(r.delivered).toBe(25);
    await expect.poll(() => rx.messages.length).toBe(25);
    expect(rx.errors).toEqual([]);
    const stored = await storedValues(db.store());
    expectExactlyOnce(idsOfSyslog(rx.messages, stored), stored);
  });

  it('refuses an unverified certificate by default: a fatal error, nothing sent, checkpoint unmoved', async () => {
    await seed(db.store(), 5);
    const rx = await startStreamReceiver(files);
    receivers.push(rx);
    const r = await runPush(db.store(), syslogDestination(rx.port, { protocol: 'tls' }));
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('tls_verification_failed');
    expect(r.retries).toBe(0);
    expect(r.checkpoint).toBe(0);
    expect(rx.messages).toEqual([]);
  });
});
