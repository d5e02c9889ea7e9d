/**
 * What a syslog push puts on the wire, as pure functions: the message of one stored IOC version
 * (RFC 5424 with structured data, or the bare CEF line), RFC 6587 octet-counting frames for
 * TCP and TLS, and the UDP size limit (RFC 5426: one message per datagram).
 */
import type { IocRecord } from '../domain/ioc.js';
import { renderCefLine } from '../export/cef.js';
import { renderSyslogLine } from '../export/syslog.js';
import type { SyslogDestination } from './config.js';
import type { PushRow } from './sink.js';

export type SyslogFormatOptions = Pick<SyslogDestination, 'format' | 'appName' | 'hostname' | 'enterpriseId' | 'facility'>;

/** The message of one stored IOC version, as UTF-8 bytes, without framing or line end. */
export function syslogMessage(row: PushRow, opts: SyslogFormatOptions): Buffer {
  const record = JSON.parse(row.doc.toString('utf8')) as IocRecord;
  const text =
    opts.format === 'cef'
      ? renderCefLine(record)
      : renderSyslogLine(record, { hostname: opts.hostname, appName: opts.appName, enterpriseId: opts.enterpriseId, facility: opts.facility });
  return Buffer.from(text, 'utf8');
}

/**
 * RFC 6587 §3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. Unlike LF
 * framing it survives any byte in the message, and every TLS receiver (RFC 5425) expects it.
 */
export function octetCountedFrame(message: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]);
}

/**
 * The first `max` bytes of a message, cut before a UTF-8 character that would not fit whole
 * (a receiver must not see half a character). RFC 5426 lets receivers truncate the same way.
 */
export function truncateUtf8(message: Buffer, max: number): Buffer {
  if (message.length <= max) return message;
  let end = max;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that was cut.
  while (end > 0 && ((message[end] as number) & 0xc0) === 0x80) end--;
  return message.subarray(0, end);
}
