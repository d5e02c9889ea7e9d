import { describe, expect, it } from 'vitest';
import { spamhausDropParser } from '../../../src/ingest/parsers/spamhaus-drop.js';
import { hasSharedData } from '../../support/shared-data.js';
import { collect, sharedStream, textStream } from '../parse-helpers.js';

describe.runIf(hasSharedData)('Spamhaus DROP parser on the real lists', () => {
  it('drop_v4.json: CIDR blocks with SBL id and RIR; the metadata line is a skip', async () => {
    const got = await collect(spamhausDropParser, sharedStream('spamhaus', 'drop_v4.json'));
    expect(got.indicators[0]).toEqual({
      kind: 'indicator',
      line: 1,
      value: '1.10.16.0/20',
      type: 'ipv4',
      context: 'Spamhaus DROP; SBL256894; RIR apnic',
    });
    expect(got.skips).toEqual([{ kind: 'skip', line: got.indicators.length + 1, message: 'metadata line (not an indicator)' }]);
  });

  it('asndrop.json: every AS number is a skip naming it', async () => {
    const got = await collect(spamhausDropParser, sharedStream('spamhaus', 'asndrop.json'));
    expect(got.skips[0]).toEqual({ kind: 'skip', line: 1, message: 'AS932 (XNNET): an AS number is not an IOC type we store' });
  });

  it('drop.txt without comments (trailing blanks)', async () => {
    const got = await collect(spamhausDropParser, sharedStream('spamhaus', 'drop.txt'));
    expect(got.indicators[0]).toMatchObject({ line: 1, value: '1.10.16.0/20', type: 'ipv4' });
  });
});

describe('Spamhaus DROP parser on the official text layout and bad lines', () => {
  it('reads `; SBL` comments and `;` banners; reports garbage with its line', async () => {
    const text = [
      '; Spamhaus DROP List 2024/01/01 - (c) 2024 The Spamhaus Project SLU',
      '; Last-Modified: Mon, 01 Jan 2024 00:00:00 GMT',
      '1.10.16.0/20 ; SBL256894',
      'not a cidr at all',
      '2001:db8::/32 ; SBL1',
      '',
    ].join('\n');
    const got = await collect(spamhausDropParser, textStream(text));
    expect(got.indicators.map((i) => [i.line, i.value, i.type, i.context])).toEqual([
      [3, '1.10.16.0/20', 'ipv4', 'Spamhaus DROP; SBL256894'],
      [5, '2001:db8::/32', 'ipv6', 'Spamhaus DROP; SBL1'],
    ]);
    expect(got.problems).toEqual([{ kind: 'problem', line: 4, message: 'not a CIDR block: not a cidr at all' }]);
  });

  it('NDJSON: a bad line is a problem, and a record count short of the metadata is flagged (cut file)', async () => {
    const text = [
      '{"cidr":"1.10.16.0/20","sblid":"SBL1","rir":"apnic"}',
      '{"cidr":"1.19.0.0/16","sblid":',
      '{"rir":"apnic"}',
      '{"type":"metadata","timestamp":1,"size":1,"records":4}',
    ].join('\n');
    const got = await collect(spamhausDropParser, textStream(text));
    expect(got.indicators.map((i) => i.line)).toEqual([1]);
    expect(got.skips.map((s) => s.line)).toEqual([4]);
    expect(got.problems.map((p) => [p.line, p.message])).toEqual([
      [2, 'not a JSON object'],
      [3, 'entry has neither cidr nor asn'],
      [4, 'metadata declares 4 records but 2 were read: the file may be cut'],
    ]);
  });
});
