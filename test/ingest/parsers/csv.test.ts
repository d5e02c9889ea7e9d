import { describe, expect, it } from 'vitest';
import { createCsvParser, csvParser, type CsvColumnMapping } from '../../../src/ingest/parsers/csv.js';
import { collect, textStream } from '../parse-helpers.js';

describe('generic CSV parser', () => {
  it('default mapping: a value column and an optional type column', async () => {
    const text = 'type,value,note\nipv4,1.2.3.4,x\n,evil.example,y\nja3,abc,z\nip-dst,2001:db8::1,w\n';
    const got = await collect(csvParser, textStream(text));
    expect(got.indicators.map((i) => [i.line, i.value, i.type])).toEqual([
      [2, '1.2.3.4', 'ipv4'],
      [3, 'evil.example', undefined],
      [5, '2001:db8::1', undefined],
    ]);
    expect(got.skips).toEqual([{ kind: 'skip', line: 4, message: 'type "ja3" is not an IOC type we store' }]);
  });

  const mapped: CsvColumnMapping = {
    value: 'Indicator',
    type: 'domain',
    tags: 'Labels',
    tags_separator: '|',
    confidence: 'Score',
    first_seen: 'Added',
    threat_type: 'Kind',
    malware: 4,
    context: 'Note',
    reference_url: 'Ref',
    delimiter: ';',
  };

  it('a full mapping: names (case-insensitive), a column number, a fixed type, scores and words for confidence', async () => {
    const text = [
      'indicator;labels;score;Family;added;kind;note;ref',
      'a.example;x|y;90;Emotet;2026-01-02;botnet_cc;seen twice;https://r.example/1',
      'b.example;;low;;;;;',
      'c.example;;55;;not a date;;;',
    ].join('\n');
    const got = await collect(createCsvParser(mapped), textStream(text));
    expect(got.indicators).toEqual([
      {
        kind: 'indicator',
        line: 2,
        value: 'a.example',
        type: 'domain',
        tags: ['x', 'y'],
        confidence: 'high',
        first_seen: '2026-01-02T00:00:00.000Z',
        last_seen: undefined,
        threat_type: 'botnet_cc',
        malware: 'Emotet',
        context: 'seen twice',
        reference_url: 'https://r.example/1',
      },
      expect.objectContaining({ line: 3, value: 'b.example', confidence: 'low', tags: [] }),
      expect.objectContaining({ line: 4, value: 'c.example', confidence: 'medium', first_seen: undefined }),
    ]);
  });

  it('without a header row, columns are numbers', async () => {
    const got = await collect(createCsvParser({ header: false, value: 2, type: 'url' }), textStream('1,http://a.example/\n2,http://b.example/\n'));
    expect(got.indicators.map((i) => [i.line, i.value, i.type])).toEqual([
      [1, 'http://a.example/', 'url'],
      [2, 'http://b.example/', 'url'],
    ]);
  });

  it.each([
    [{ value: 'missing' }, 'csv.value: no column "missing" in the header (value, type)'],
    [{ value: 'value', tags: 'labels' }, 'csv.tags: no column "labels" in the header (value, type)'],
    [{ header: false, value: 'value' }, 'csv.value: column "value" needs a header row (or use a column number)'],
  ] as Array<[CsvColumnMapping, string]>)('a mapping that does not fit the file is one problem: %j', async (mapping, message) => {
    const got = await collect(createCsvParser(mapping), textStream('value,type\n1.2.3.4,ipv4\n'));
    expect(got.indicators).toEqual([]);
    expect(got.problems).toEqual([{ kind: 'problem', line: 1, message }]);
  });

  it('bad rows are problems with their lines; an empty value too', async () => {
    const got = await collect(csvParser, textStream('value\n"1.2.3.4\n\n""\n5.6.7.8\n'));
    expect(got.indicators.map((i) => [i.line, i.value])).toEqual([[5, '5.6.7.8']]);
    expect(got.problems.map((p) => [p.line, p.message])).toEqual([
      [2, 'unbalanced quotes'],
      [4, 'empty value column'],
    ]);
  });
});
