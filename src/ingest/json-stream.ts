import { StringDecoder } from 'node:string_decoder';
import { Assembler } from 'stream-json/assembler.js';
import { jsonParser, type Token } from 'stream-json/parser.js';

/** Where a value sits in a JSON document: object keys and array indexes from the root. */
export type JsonPath = ReadonlyArray<string | number>;

/** One value picked out of a JSON document, with its path and 1-based pick number. */
export interface PickedValue {
  kind: 'value';
  path: JsonPath;
  /** 1-based count of picked values so far: the "record number" parsers report. */
  record: number;
  value: unknown;
}

/** The document is not valid JSON from this point on; nothing after it can be read. */
export interface JsonSyntaxError {
  kind: 'syntax-error';
  /** The record number the error interrupted (picked values so far + 1). */
  record: number;
  message: string;
}

export interface PickOptions {
  /** Only values at most this deep are offered to `select` (depth = path length). Default 4. */
  maxDepth?: number;
}

interface Frame {
  isArray: boolean;
  key: string | number;
}

// stream-json's tokenizer speaks stream-chain's protocol: results are wrapped with these
// registered symbols (a protocol, not a class, so no import of stream-chain is needed).
const NONE = Symbol.for('object-stream.none');
const MANY = Symbol.for('object-stream.many');
type Tokenize = (chunk: string | symbol) => unknown;

// Text is handed to the tokenizer in slices this long: a syntax error loses the tokens of its
// slice only, so at most this much of the input before the error goes unread.
const SLICE = 4096;

function tokensOf(result: unknown): Token[] {
  if (result === NONE || result === undefined) return [];
  if (typeof result === 'object' && result !== null && (result as Record<symbol, unknown>)[MANY] === 1) {
    return (result as { values: Token[] }).values;
  }
  return [result as Token];
}

/**
 * Streams a JSON document with stream-json's tokenizer and yields the values whose path
 * `select` accepts, each assembled on its own: the document is never held in memory, only one
 * picked value at a time. A syntax error (or a cut document) ends the walk with a
 * `syntax-error` item after every value read before it; an error of the input stream itself
 * (network, disk) is thrown.
 *
 * @example
 * // every element of the top-level "vulnerabilities" array
 * for await (const item of pickJsonValues(stream, (p) => p.length === 2 && p[0] === 'vulnerabilities')) ...
 */
export async function* pickJsonValues(
  input: AsyncIterable<Buffer | string>,
  select: (path: JsonPath) => boolean,
  options: PickOptions = {},
): AsyncGenerator<PickedValue | JsonSyntaxError> {
  const walker = new PathWalker(select, options.maxDepth ?? 4);
  const tokenize = jsonParser({ packValues: true, streamValues: false }) as unknown as Tokenize;
  const decoder = new StringDecoder('utf8');
  let atStart = true;

  function* feed(text: string | symbol): Generator<PickedValue | JsonSyntaxError, boolean> {
    const pieces: Array<string | symbol> = [];
    if (typeof text === 'symbol') pieces.push(text);
    else for (let i = 0; i < text.length; i += SLICE) pieces.push(text.slice(i, i + SLICE));
    for (const piece of pieces) {
      let tokens: Token[];
      try {
        tokens = tokensOf(tokenize(piece));
      } catch (err) {
        yield { kind: 'syntax-error', record: walker.record + 1, message: `invalid JSON: ${err instanceof Error ? err.message : String(err)}` };
        return false;
      }
      for (const token of tokens) {
        const picked = walker.push(token);
        if (picked) yield picked;
      }
    }
    return true;
  }

  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (atStart && text !== '') {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      atStart = false;
    }
    if (!(yield* feed(text))) return;
  }
  if (!(yield* feed(decoder.end()))) return;
  yield* feed(NONE);
}

/** Follows the token stream's position and assembles the values at selected paths. */
class PathWalker {
  private readonly stack: Frame[] = [];
  private asm: Assembler | null = null;
  private captureDepth = 0;
  record = 0;

  constructor(
    private readonly select: (path: JsonPath) => boolean,
    private readonly maxDepth: number,
  ) {}

  push(token: Token): PickedValue | null {
    const name = token.name;
    const stack = this.stack;
    if (this.asm) {
      this.asm.consume(token);
      if (name === 'startObject' || name === 'startArray') this.captureDepth++;
      else if (name === 'endObject' || name === 'endArray') this.captureDepth--;
      if (this.captureDepth > 0) return null;
      const value: unknown = this.asm.current;
      this.asm = null;
      return { kind: 'value', path: pathOf(stack), record: ++this.record, value };
    }
    if (name === 'keyValue') {
      const top = stack[stack.length - 1];
      if (top) top.key = token.value;
      return null;
    }
    if (name === 'endObject' || name === 'endArray') {
      stack.pop();
      return null;
    }
    const isContainer = name === 'startObject' || name === 'startArray';
    const isScalar = name === 'stringValue' || name === 'numberValue' || name === 'nullValue' || name === 'trueValue' || name === 'falseValue';
    if (!isContainer && !isScalar) return null;

    const top = stack[stack.length - 1];
    if (top?.isArray) top.key = (top.key as number) + 1;
    const selected = stack.length <= this.maxDepth && this.select(pathOf(stack));
    if (selected && isScalar) {
      return { kind: 'value', path: pathOf(stack), record: ++this.record, value: scalarValue(token) };
    }
    if (selected) {
      this.asm = new Assembler();
      this.asm.consume(token);
      this.captureDepth = 1;
    } else if (isContainer) {
      stack.push({ isArray: name === 'startArray', key: name === 'startArray' ? -1 : '' });
    }
    return null;
  }
}

function pathOf(stack: readonly Frame[]): JsonPath {
  return stack.map((f) => f.key);
}

function scalarValue(token: Token): unknown {
  switch (token.name) {
    case 'numberValue':
      return Number(token.value);
    case 'nullValue':
      return null;
    case 'trueValue':
      return true;
    case 'falseValue':
      return false;
    case 'stringValue':
      return token.value;
    default:
      return undefined;
  }
}
