import { describe, expect, it } from 'vitest';
import { feodoParser, feodoVariant } from '../../../src/ingest/parsers/feodo.js';
import { hasSharedData } from '../../support/shared-data.js';
import { collect, sharedStream, textStream } from '../parse-helpers.js';

describe('Feodo layout detection', () => {
  it.each([
    ['[\n  {"ip_address": "1.2.3.4"}', 'json'],
    ['\uFEFF  [{"ip_address"', 'json'],
    ['####\n# banner\n"first_seen_utc","dst_ip","dst_port"\n', 'csv'],
    ['####\n#\n# DstIP\r\n8.8.8.8\r\n', 'txt'],
    ['', 'txt'],
  ] as const)('%j → %s', (head, variant) => {
    expect(feodoVariant(head)).toBe(variant);
  });
});

describe.runIf(hasSharedData)('Feodo parser on the real blocklists', () => {
  it('TXT: one botnet_cc IP a line, 8.8.8.8 included (the allowlist deals with it)', async () => {
    const { indicators } = await collect(feodoParser, sharedStream('feodo', 'ipblocklist_recommended.txt'));
    expect(indicators[0]).toEqual({ kind: 'indicator', line: 10, value: '8.8.8.8', type: 'ipv4', threat_type: 'botnet_cc' });
    expect(indicators.at(-1)?.value).toBe('97.107.134.115');
  });

  it('CSV: port and status in the context, status → confidence, malware family', async () => {
    const { indicators } = await collect(feodoParser, sharedStream('feodo', 'ipblocklist.csv'));
    expect(indicators[0]).toEqual({
      kind: 'indicator',
      line: 10,
      value: '192.9.135.73',
      type: 'ipv4',
      first_seen: '2023-05-23T17:51:44.000Z',
      last_seen: '2024-04-01T00:00:00.000Z',
      confidence: 'high',
      threat_type: 'botnet_cc',
      malware: 'Pikabot',
      context: 'Pikabot C2 on port 1194; status online',
    });
    expect(indicators[1]?.confidence).toBe('medium');
  });

  it('JSON: network details in the context', async () => {
    const { indicators } = await collect(feodoParser, sharedStream('feodo', 'ipblocklist.json'));
    expect(indicators[1]).toMatchObject({
      line: 2,
      value: '50.16.16.211',
      malware: 'QakBot',
      confidence: 'high',
      context: 'QakBot C2 on port 443; status online; host ec2-50-16-16-211.compute-1.amazonaws.com; AS14618 AMAZON-AES; country US',
    });
  });
});

describe('Feodo parser on bad lines', () => {
  it('CSV: a short row is a problem on its line, the rest is read', async () => {
    const text = [
      '# banner',
      '"first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"',
      '"2024-01-01 00:00:00","1.2.3.4","443","online","2024-01-02","Emotet"',
      '"2024-01-01 00:00:00","5.6.7.8"',
      '"2024-01-01 00:00:00","","443","online","2024-01-02","Emotet"',
      '"2024-01-01 00:00:00","9.9.9.10","8080","offline","2024-01-02","QakBot"',
    ].join('\n');
    const got = await collect(feodoParser, textStream(text));
    expect(got.indicators.map((i) => [i.line, i.value])).toEqual([
      [3, '1.2.3.4'],
      [6, '9.9.9.10'],
    ]);
    expect(got.problems.map((p) => [p.line, p.message])).toEqual([
      [4, 'expected 6 fields, found 2'],
      [5, 'empty IP address field'],
    ]);
  });
});
