import { describe, expect, it } from 'vitest';
import { threatfoxParser } from '../../../src/ingest/parsers/threatfox.js';
import { threatfoxCsvParser } from '../../../src/ingest/parsers/threatfox-csv.js';
import { hasSharedData } from '../../support/shared-data.js';
import { collect, sharedStream, textStream } from '../parse-helpers.js';

describe.runIf(hasSharedData)('ThreatFox parsers on the real exports', () => {
  it('JSON: splits ip:port, maps malware, confidence_level and the IOC page', async () => {
    const { indicators } = await collect(threatfoxParser, sharedStream('threatfox', 'threatfox_recent.json'));
    expect(indicators[0]).toMatchObject({
      value: 'magazine.sorrentotransfer.com',
      type: 'domain',
      threat_type: 'payload_delivery',
      malware: 'StrelaStealer',
      confidence: 'high',
      first_seen: '2026-02-26T20:23:03.000Z',
      tags: ['StrelaStealer', 'compromised'],
      reference_url: 'https://threatfox.abuse.ch/ioc/1755211/',
    });
    expect(indicators[2]).toMatchObject({
      line: 3,
      value: '36.147.16.28',
      type: 'ipv4',
      threat_type: 'botnet_cc',
      malware: 'DeimosC2',
      confidence: 'high',
      tags: ['Deimos', 'drb-ra'],
      reference_url: 'https://threatfox.abuse.ch/ioc/1755209/',
    });
    expect(indicators[2]?.context).toMatch(/^port 10250; /);
  });

  it('CSV: `", "` separators, CRLF, commented header; same mapping as JSON', async () => {
    const { indicators } = await collect(threatfoxCsvParser, sharedStream('threatfox', 'threatfox_recent.csv'));
    expect(indicators[0]).toMatchObject({
      line: 10,
      value: 'call4-back.veq4tralis.in.net',
      type: 'domain',
      threat_type: 'payload_delivery',
      malware: 'ClearFake',
      confidence: 'high',
      first_seen: '2026-04-12T04:49:28.000Z',
      last_seen: '2026-04-12T04:49:29.000Z',
      tags: ['ClearFake'],
      reference_url: 'https://threatfox.abuse.ch/ioc/1784524/',
    });
    const ipPort = indicators.find((i) => i.type === 'ipv4');
    expect(ipPort?.value).not.toContain(':');
    expect(ipPort?.context).toMatch(/^port \d+/);
  });
});

describe('ThreatFox parsers on odd records', () => {
  it('maps each ioc_type and confidence_level, skips types we do not store', async () => {
    const rec = (id: number, value: string, type: string, confidence: number): string =>
      `"${id}": [{"ioc_value": "${value}", "ioc_type": "${type}", "threat_type": "botnet_cc", "malware_printable": "Unknown malware", "confidence_level": ${confidence}, "tags": null}]`;
    const text = `{${[
      rec(1, '[2001:db8::1]:443', 'ip:port', 100),
      rec(2, 'http://x.example/a', 'url', 75),
      rec(3, 'a'.repeat(32), 'md5_hash', 74),
      rec(4, 'b'.repeat(40), 'sha1_hash', 50),
      rec(5, 'c'.repeat(64), 'sha256_hash', 49),
      rec(6, 'xyz', 'sha3_384_hash', 100),
    ].join(', ')}}`;
    const got = await collect(threatfoxParser, textStream(text, 5));
    expect(got.indicators.map((i) => [i.line, i.type, i.value, i.confidence, i.malware])).toEqual([
      [1, 'ipv6', '2001:db8::1', 'high', undefined],
      [2, 'url', 'http://x.example/a', 'high', undefined],
      [3, 'md5', 'a'.repeat(32), 'medium', undefined],
      [4, 'sha1', 'b'.repeat(40), 'medium', undefined],
      [5, 'sha256', 'c'.repeat(64), 'low', undefined],
    ]);
    expect(got.skips).toEqual([{ kind: 'skip', line: 6, message: 'ThreatFox ioc_type sha3_384_hash is not an IOC type we store' }]);
  });

  it('CSV: a short row and an empty value are problems on their lines', async () => {
    const header = '# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","is_compromised","reference","tags","anonymous","reporter"';
    const row = (value: string): string =>
      `"2026-04-12 04:49:28", "1", "${value}", "domain", "payload_delivery", "x", "None", "X", "", "100", "False", "None", "t", "0", "r"`;
    const text = ['#####', header, row('a.example'), '"2026-04-12 04:49:28", "2", "b.example"', row(''), row('d.example')].join('\r\n');
    const got = await collect(threatfoxCsvParser, textStream(text));
    expect(got.indicators.map((i) => [i.line, i.value])).toEqual([
      [3, 'a.example'],
      [6, 'd.example'],
    ]);
    expect(got.problems.map((p) => [p.line, p.message])).toEqual([
      [4, 'expected 15 fields, found 3'],
      [5, 'empty ioc_value'],
    ]);
  });
});
