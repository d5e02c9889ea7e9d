import { describe, expect, it } from 'vitest';
import { pickJsonValues, type JsonPath } from '../../src/ingest/json-stream.js';
import { textStream } from './parse-helpers.js';

async function pick(text: string, select: (p: JsonPath) => boolean, chunk = 3): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of pickJsonValues(textStream(text, chunk), select, { maxDepth: 6 })) {
    out.push(item.kind === 'value' ? [item.record, item.path, item.value] : [item.record, 'ERROR']);
  }
  return out;
}

describe('pickJsonValues', () => {
  it('picks values by path, scalars and containers, in document order', async () => {
    const text = '{"meta":{"n":2},"items":[{"a":1},"x",[true,null]],"tail":{"items":[9]}}';
    expect(await pick(text, (p) => p.length === 2 && p[0] === 'items')).toEqual([
      [1, ['items', 0], { a: 1 }],
      [2, ['items', 1], 'x'],
      [3, ['items', 2], [true, null]],
    ]);
    expect(await pick(text, (p) => p[p.length - 2] === 'items')).toEqual([
      [1, ['items', 0], { a: 1 }],
      [2, ['items', 1], 'x'],
      [3, ['items', 2], [true, null]],
      [4, ['tail', 'items', 0], 9],
    ]);
  });

  it('reads multi-byte UTF-8 split across chunks and a BOM', async () => {
    expect(await pick('\uFEFF["café", "日本"]', (p) => p.length === 1, 1)).toEqual([
      [1, [0], 'café'],
      [2, [1], '日本'],
    ]);
  });

  it('a syntax error ends the walk after the values before it', async () => {
    expect(await pick('[1, 2, {"a": 3}, tru', (p) => p.length === 1, 100)).toEqual([
      [1, [0], 1],
      [2, [1], 2],
      [3, [2], { a: 3 }],
      [4, 'ERROR'],
    ]);
  });

  it('never lets a __proto__ key reach a prototype', async () => {
    const picked = (await pick('[{"__proto__": {"polluted": true}}]', (p) => p.length === 1)) as Array<[number, JsonPath, Record<string, unknown>]>;
    const value = picked[0]?.[2];
    expect(Object.keys(value ?? {})).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('throws an error of the input itself', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield '[1,';
      throw new Error('socket hang up');
    }
    const run = async (): Promise<void> => {
      for await (const _ of pickJsonValues(failing(), () => true)) void _;
    };
    await expect(run()).rejects.toThrow('socket hang up');
  });
});
