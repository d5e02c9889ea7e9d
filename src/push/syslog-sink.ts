/**
 * The syslog destination: one message per IOC version (syslog-frame.ts) to a syslog receiver
 * over UDP (RFC 5426: one datagram per message), TCP (RFC 6587 octet counting) or TLS
 * (RFC 5425, the same framing, certificate verified by default).
 *
 * Syslog has no application-level acknowledgement. Over TCP and TLS a batch counts as
 * delivered once the socket has taken every byte of it (the write callback), so at-least-once
 * holds up to our socket: a receiver that crashes with data in its buffers loses it, and the
 * checkpoint has already moved. A connection that fails (refused, reset, timed out) is retried
 * with the engine's backoff on a fresh connection; a batch cut short by an error is resent whole
 * (counted as resent: the receiver may see part of it twice). Over UDP nothing is confirmed at
 * all: a datagram handed to the kernel is delivered as far as we can know.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect as netConnect, isIP, isIPv6, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { SyslogDestination } from './config.js';
import type { PushRow, PushSink, SendOutcome } from './sink.js';
import { octetCountedFrame, syslogMessage, truncateUtf8 } from './syslog-frame.js';
import { transportOutcome } from './transport.js';

/** A socket failure as a send outcome: retried, or fatal for a certificate that was refused. */
function socketFailure(err: unknown, sent: boolean): SendOutcome {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  return transportOutcome({ kind: 'network', message: e instanceof Error ? e.message : String(err), sent, ...(code ? { code } : {}) });
}

const ABORTED: SendOutcome = { kind: 'retry', reason: 'aborted', retryAfterMs: 0, ambiguous: true };

type Connected = { kind: 'ok'; socket: Socket } | { kind: 'failed'; outcome: SendOutcome };

/** A TCP or TLS connection to the receiver, kept across the sends of a run and reopened after a failure. */
class StreamConnection {
  #socket: Socket | null = null;
  #connecting: Promise<Connected> | null = null;
  readonly #ca: Buffer | undefined;

  constructor(private readonly dest: SyslogDestination) {
    this.#ca = dest.protocol === 'tls' && dest.tls.caFile !== null ? readFileSync(dest.tls.caFile) : undefined;
  }

  async send(payload: Buffer, signal: AbortSignal): Promise<SendOutcome> {
    if (signal.aborted) return ABORTED;
    const c = this.#socket ? ({ kind: 'ok', socket: this.#socket } as const) : await (this.#connecting ??= this.#connect(signal).finally(() => (this.#connecting = null)));
    if (c.kind === 'failed') return c.outcome;
    const outcome = await this.#write(c.socket, payload, signal);
    if (outcome.kind !== 'delivered') this.#drop(c.socket);
    return outcome;
  }

  close(): void {
    // end(), not destroy(): bytes the kernel still holds go out before the FIN (or TLS close_notify).
    this.#socket?.end();
    this.#socket = null;
  }

  #drop(socket: Socket): void {
    socket.destroy();
    if (this.#socket === socket) this.#socket = null;
  }

  #connect(signal: AbortSignal): Promise<Connected> {
    const { dest } = this;
    return new Promise<Connected>((resolve) => {
      const socket =
        dest.protocol === 'tls'
          ? tlsConnect({
              host: dest.host,
              port: dest.port,
              // SNI only for names (RFC 6066); an IP address is checked against the certificate's IP SANs.
              ...(isIP(dest.host) === 0 ? { servername: dest.host } : {}),
              rejectUnauthorized: dest.tls.verify,
              ...(this.#ca ? { ca: this.#ca } : {}),
            })
          : netConnect({ host: dest.host, port: dest.port });
      const ready = dest.protocol === 'tls' ? 'secureConnect' : 'connect';
      const finish = (r: Connected): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.removeListener('error', onError);
        socket.removeListener(ready, onReady);
        resolve(r);
      };
      const onError = (err: Error): void => {
        socket.destroy();
        finish({ kind: 'failed', outcome: socketFailure(err, false) });
      };
      const onAbort = (): void => {
        socket.destroy();
        finish({ kind: 'failed', outcome: ABORTED });
      };
      const onReady = (): void => {
        // A receiver never writes to us: reading only notices its FIN, so the next send reconnects.
        socket.on('data', () => undefined);
        socket.on('error', () => undefined);
        socket.once('close', () => {
          if (this.#socket === socket) this.#socket = null;
        });
        socket.once('end', () => this.#drop(socket));
        socket.setKeepAlive(true, 60_000);
        this.#socket = socket;
        finish({ kind: 'ok', socket });
      };
      const timer = setTimeout(() => {
        socket.destroy();
        finish({ kind: 'failed', outcome: { kind: 'retry', reason: `timeout: no connection to ${dest.url} within ${dest.timeoutMs} ms`, retryAfterMs: 0, ambiguous: false } });
      }, dest.timeoutMs);
      socket.once('error', onError);
      socket.once(ready, onReady);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  #write(socket: Socket, payload: Buffer, signal: AbortSignal): Promise<SendOutcome> {
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const finish = (o: SendOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        socket.removeListener('error', onError);
        socket.removeListener('close', onClose);
        resolve(o);
      };
      const onError = (err: Error): void => finish(socketFailure(err, true));
      const onClose = (): void => finish({ kind: 'retry', reason: 'network error: the receiver closed the connection', retryAfterMs: 0, ambiguous: true });
      const onAbort = (): void => finish(ABORTED);
      // A receiver that stops reading fills the socket buffers: the write never completes.
      const timer = setTimeout(
        () => finish({ kind: 'retry', reason: `timeout: the receiver did not take the batch within ${this.dest.timeoutMs} ms`, retryAfterMs: 0, ambiguous: true }),
        this.dest.timeoutMs,
      );
      socket.once('error', onError);
      socket.once('close', onClose);
      signal.addEventListener('abort', onAbort, { once: true });
      socket.write(payload, (err) => finish(err ? socketFailure(err, true) : { kind: 'delivered' }));
    });
  }
}

/** UDP: one datagram per message, sent one after another (the kernel's answer paces the sender). */
class DatagramSender {
  readonly #socket: UdpSocket;

  constructor(private readonly dest: SyslogDestination) {
    this.#socket = createSocket(isIPv6(dest.host) ? 'udp6' : 'udp4');
    this.#socket.on('error', () => undefined);
  }

  send(message: Buffer): Promise<Error | null> {
    return new Promise((resolve) => this.#socket.send(message, this.dest.port, this.dest.host, (err) => resolve(err ?? null)));
  }

  close(): void {
    this.#socket.close();
  }
}

/**
 * The sink of a syslog destination. `log` hears of UDP messages truncated to max_message_bytes
 * (a skipped one is reported by the engine as a skip).
 */
export function createSyslogSink(dest: SyslogDestination, log: (line: string) => void = () => undefined): PushSink {
  const stream = dest.protocol === 'udp' ? null : new StreamConnection(dest);
  const udp = dest.protocol === 'udp' ? new DatagramSender(dest) : null;
  let truncated = 0;

  const sendUdp = async (sender: DatagramSender, rows: readonly PushRow[], signal: AbortSignal): Promise<SendOutcome> => {
    let cut = 0;
    for (let i = 0; i < rows.length; i++) {
      if (signal.aborted) return ABORTED;
      let message = syslogMessage(rows[i] as PushRow, dest);
      if (message.length > dest.maxMessageBytes) {
        if (dest.oversize === 'skip') {
          return { kind: 'rejected_item', index: i, reason: `the message is ${message.length} bytes, over max_message_bytes ${dest.maxMessageBytes} (oversize: skip)` };
        }
        message = truncateUtf8(message, dest.maxMessageBytes);
        cut++;
      }
      const err = await sender.send(message);
      // A datagram that could not be sent: the batch is resent whole (earlier datagrams twice).
      if (err) return socketFailure(err, i > 0);
    }
    if (cut > 0) {
      truncated += cut;
      log(`${cut} message(s) over max_message_bytes ${dest.maxMessageBytes} truncated (${truncated} this run)`);
    }
    return { kind: 'delivered' };
  };

  return {
    // The rendered message is about the size of the stored document; the batch byte limit is a guide.
    size: (row: PushRow): number => row.doc.length + 8,

    async send(rows, signal): Promise<SendOutcome> {
      if (udp) return sendUdp(udp, rows, signal);
      const payload = Buffer.concat(rows.map((row) => octetCountedFrame(syslogMessage(row, dest))));
      return (stream as StreamConnection).send(payload, signal);
    },

    acks: null,
    close: () => {
      stream?.close();
      udp?.close();
    },
  };
}
