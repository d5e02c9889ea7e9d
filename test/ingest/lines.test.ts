import { describe, expect, it } from 'vitest';
import { commentBody, dataLines, isCommentOrBlank, readLines } from '../../src/ingest/lines.js';
import { textStream } from './parse-helpers.js';

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('readLines', () => {
  it.each([1, 2, 3, 5, 64])('numbers LF, CRLF and a last line without newline the same at chunk size %i', async (size) => {
    const lines = await all(readLines(textStream('\uFEFFa\r\nbé\n\r\nc', size)));
    expect(lines).toEqual([
      { line: 1, text: 'a' },
      { line: 2, text: 'bé' },
      { line: 3, text: '' },
      { line: 4, text: 'c' },
    ]);
  });

  it('passes an error of the input on', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'a\n';
      throw new Error('connection reset');
    }
    await expect(all(readLines(failing()))).rejects.toThrow('connection reset');
  });
});

describe('comment helpers', () => {
  it.each([
    ['# x', '#', true],
    ['   ', '#', true],
    ['; SBL', ';#', true],
    ['1.2.3.4 # not a comment', '#', false],
    ['"a","b"', '#', false],
  ] as const)('isCommentOrBlank(%j, %j) = %s', (text, markers, expected) => {
    expect(isCommentOrBlank(text, markers)).toBe(expected);
  });

  it.each([
    ['# id,dateadded,url', 'id,dateadded,url'],
    ['## sha256_hash  ', 'sha256_hash'],
    ['#', ''],
  ])('commentBody(%j) = %j', (text, body) => {
    expect(commentBody(text)).toBe(body);
  });

  it('dataLines drops comments and blanks and shows the comments to a callback', async () => {
    const seen: number[] = [];
    const lines = await all(dataLines(textStream('# h\n\n1\n; c\n2\n'), '#;', (l) => seen.push(l.line)));
    expect(lines.map((l) => l.line)).toEqual([3, 5]);
    expect(seen).toEqual([1, 4]);
  });
});
