import { describe, expect, it } from 'vitest';
import { peekHead } from '../../src/ingest/peek.js';
import { textStream } from './parse-helpers.js';

describe('peekHead', () => {
  it('gives the head and replays the whole stream', async () => {
    const text = 'x'.repeat(100) + 'yz';
    const { head, input } = await peekHead(textStream(text, 7), 10);
    expect(head).toBe('x'.repeat(10));
    let all = '';
    for await (const c of input) all += c.toString();
    expect(all).toBe(text);
  });

  it('a stream shorter than the head is read once, whole', async () => {
    const { head, input } = await peekHead(textStream('abc', 2), 4096);
    expect(head).toBe('abc');
    let all = '';
    for await (const c of input) all += c.toString();
    expect(all).toBe('abc');
  });
});

describe('peekHead on a failing input', () => {
  it('replays what arrived before the failure, then throws it', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'line 1\n';
      throw new Error('connection reset');
    }
    const { head, input } = await peekHead(failing(), 4096);
    expect(head).toBe('line 1\n');
    const got: string[] = [];
    const read = async (): Promise<void> => {
      for await (const c of input) got.push(c.toString());
    };
    await expect(read()).rejects.toThrow('connection reset');
    expect(got).toEqual(['line 1\n']);
  });
});
