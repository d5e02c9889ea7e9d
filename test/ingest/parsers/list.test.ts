import { describe, expect, it } from 'vitest';
import { listParser } from '../../../src/ingest/parsers/list.js';
import { collect, textStream } from '../parse-helpers.js';

describe('plain list parser', () => {
  it('yields one untyped value a line, skipping # and ; comments and blanks', async () => {
    const text = '\uFEFF# my blocklist\n; also a comment\n8.8.4.4\n\n  evil[.]example  \nhxxp://bad.example/x\r\n';
    const got = await collect(listParser, textStream(text, 4));
    expect(got.indicators).toEqual([
      { kind: 'indicator', line: 3, value: '8.8.4.4' },
      { kind: 'indicator', line: 5, value: 'evil[.]example' },
      { kind: 'indicator', line: 6, value: 'hxxp://bad.example/x' },
    ]);
    expect(got.problems).toEqual([]);
  });
});
