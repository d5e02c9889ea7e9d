import { describe, expect, it } from 'vitest';
import { columnsFrom, headerNames, readCsvRows } from '../../src/ingest/csv-rows.js';
import { textStream } from './parse-helpers.js';

async function rows(text: string, delimiter = ','): Promise<string[]> {
  const out: string[] = [];
  for await (const r of readCsvRows(textStream(text, 5), { delimiter })) out.push(r.kind === 'row' ? `${r.line}:${r.fields.join('|')}` : `${r.line}:BAD`);
  return out;
}

describe('readCsvRows', () => {
  it.each([
    ['"a""b","c"', '2:a"b|c'],
    ['"a"b,c', '2:"a"b|c'],
    ['a,"b"c', '2:a|"b"c'],
    ['"""', '2:BAD'],
    ['"unterminated, x', '2:BAD'],
    [',,', '2:||'],
  ])('a malformed line (%j) never swallows the lines after it', async (bad, expected) => {
    expect(await rows(['"1","2"', bad, '"3","4"', '"5","6"'].join('\r\n'))).toEqual(['1:1|2', expected, '3:3|4', '4:5|6']);
  });

  it('counts comment and blank lines in line numbers', async () => {
    expect(await rows('# a\n\n"x", "y"\r\n# b\n"z", "w"\n', ', ')).toEqual(['3:x|y', '5:z|w']);
  });

  it('keeps line numbers right deep into a long file', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => (i === 15_000 ? '"bad' : `"${i}","v"`));
    const out = await rows(lines.join('\n'));
    expect(out).toHaveLength(20_000);
    expect(out[14_999]).toBe('15000:14999|v');
    expect(out[15_000]).toBe('15001:BAD');
    expect(out[19_999]).toBe('20000:19999|v');
  });
});

describe('header helpers', () => {
  it.each([
    ['# id,dateadded,url', ['id', 'dateadded', 'url']],
    ['# "first_seen_utc","ioc_id"', ['first_seen_utc', 'ioc_id']],
    ['"First_Seen", "Dst_IP"', ['first_seen', 'dst_ip']],
  ])('headerNames(%j)', (text, names) => {
    expect(headerNames(text)).toEqual(names);
  });

  it('columnsFrom follows a header that names every column, else the official order', () => {
    expect(columnsFrom(['b', 'x', 'a'], ['a', 'b'] as const)).toEqual({ a: 2, b: 0 });
    expect(columnsFrom(['b', 'x'], ['a', 'b'] as const)).toEqual({ a: 0, b: 1 });
    expect(columnsFrom(null, ['a', 'b'] as const)).toEqual({ a: 0, b: 1 });
  });
});
