/** The syslog destination's config and its pure framing helpers. */
import { describe, expect, it } from 'vitest';
import { parsePushConfig, PushConfigError, type SyslogDestination } from '../../src/push/config.js';
import { octetCountedFrame, truncateUtf8 } from '../../src/push/syslog-frame.js';

function parseOne(yaml: string): SyslogDestination {
  const d = parsePushConfig(yaml, '(test)', '/tmp', {}).destinations[0];
  if (d?.type !== 'syslog') throw new Error('not a syslog destination');
  return d;
}

function errorsOf(yaml: string): string[] {
  try {
    parsePushConfig(yaml, '(test)', '/tmp', {});
  } catch (err) {
    if (err instanceof PushConfigError) return err.errors.map((e) => e.field);
    throw err;
  }
  return [];
}

describe('syslog destination config', () => {
  it('defaults: UDP 514, RFC 5424, 8192-byte datagrams truncated, TLS verification on', () => {
    const d = parseOne('destinations:\n  - { name: siem, type: syslog, host: siem.example.com }\n');
    expect(d).toMatchObject({
      host: 'siem.example.com',
      port: 514,
      protocol: 'udp',
      format: 'syslog',
      appName: 'socd',
      enterpriseId: 32473,
      facility: 16,
      maxMessageBytes: 8192,
      oversize: 'truncate',
      url: 'udp://siem.example.com:514',
      tls: { verify: true, caFile: null },
      unavailable: null,
    });
  });

  it.each([
    ['tls', 6514],
    ['tcp', 514],
  ])('protocol %s defaults to port %d', (protocol, port) => {
    expect(parseOne(`destinations:\n  - { name: s, type: syslog, host: 10.0.0.5, protocol: ${protocol} }\n`).port).toBe(port);
  });

  it('reads every option', () => {
    const d = parseOne(
      'destinations:\n  - { name: s, type: syslog, host: "::1", port: 1514, protocol: tcp, format: cef, app_name: ti, hostname: socd-1, enterprise_id: 99999, facility: 4, max_message_bytes: 2048, oversize: skip }\n',
    );
    expect(d).toMatchObject({ port: 1514, protocol: 'tcp', format: 'cef', appName: 'ti', hostname: 'socd-1', enterpriseId: 99999, facility: 4, maxMessageBytes: 2048, oversize: 'skip', url: 'tcp://[::1]:1514' });
  });

  it.each([
    ['missing host', '{ name: s, type: syslog }', 'destinations[0].host'],
    ['bad protocol', '{ name: s, type: syslog, host: h, protocol: http }', 'destinations[0].protocol'],
    ['bad format', '{ name: s, type: syslog, host: h, format: json }', 'destinations[0].format'],
    ['bad port', '{ name: s, type: syslog, host: h, port: 70000 }', 'destinations[0].port'],
    ['datagram under 480', '{ name: s, type: syslog, host: h, max_message_bytes: 100 }', 'destinations[0].max_message_bytes'],
    ['bad oversize', '{ name: s, type: syslog, host: h, oversize: drop }', 'destinations[0].oversize'],
    ['a url is not a syslog setting', '{ name: s, type: syslog, host: h, url: "https://x" }', 'destinations[0].url'],
    ['nor is gzip', '{ name: s, type: syslog, host: h, gzip: true }', 'destinations[0].gzip'],
    ['host with spaces', '{ name: s, type: syslog, host: "a b" }', 'destinations[0].host'],
  ])('%s is an error', (_, entry, field) => {
    expect(errorsOf(`destinations:\n  - ${entry}\n`)).toContain(field);
  });
});

describe('syslog framing', () => {
  it('octet counting counts bytes, not characters', () => {
    expect(octetCountedFrame(Buffer.from('<134>1 - - - - - - hi')).toString()).toBe('21 <134>1 - - - - - - hi');
    const frame = octetCountedFrame(Buffer.from('é€', 'utf8'));
    expect(frame.toString('utf8')).toBe('5 é€');
  });

  it.each([
    ['short enough', 'abc', 5, 'abc'],
    ['ascii cut', 'abcdef', 4, 'abcd'],
    ['cut inside a 2-byte character', 'aé', 2, 'a'],
    ['cut inside a 3-byte character', 'a€b', 3, 'a'],
    ['cut after a whole character', 'a€b', 4, 'a€'],
    ['cut inside a 4-byte character', '😀', 3, ''],
  ])('truncateUtf8: %s', (_, text, max, expected) => {
    const out = truncateUtf8(Buffer.from(text, 'utf8'), max);
    expect(out.length).toBeLessThanOrEqual(max);
    expect(out.toString('utf8')).toBe(expected);
  });
});
