/** The start of a stream, decoded for sniffing, and the whole stream again (nothing is lost). */
export interface PeekedInput {
  head: string;
  input: AsyncIterable<Buffer | string>;
}

/**
 * Reads chunks until at least `bytes` bytes (or the end) are buffered, without consuming the
 * stream: the returned `input` replays the buffered chunks and then continues with the rest.
 * Used to detect a format (or a variant of one) from its first few KB. An input that fails
 * while peeking still replays what it gave, then throws its error: the lines before a dropped
 * connection are not lost.
 *
 * @example
 * const { head, input } = await peekHead(createReadStream(path), 4096);
 * const format = detectFormat(head, path);
 */
export async function peekHead(source: AsyncIterable<Buffer | string>, bytes = 8192): Promise<PeekedInput> {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: Array<Buffer | string> = [];
  let size = 0;
  let done = false;
  let failure: { error: unknown } | null = null;
  try {
    while (size < bytes) {
      const next = await iterator.next();
      if (next.done) {
        done = true;
        break;
      }
      buffered.push(next.value);
      size += typeof next.value === 'string' ? Buffer.byteLength(next.value) : next.value.length;
    }
  } catch (error) {
    failure = { error };
    done = true;
  }
  const head = Buffer.concat(buffered.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)))
    .subarray(0, bytes)
    .toString('utf8');

  async function* replay(): AsyncGenerator<Buffer | string> {
    let finished = done;
    try {
      yield* buffered;
      if (failure) throw failure.error;
      while (!finished) {
        const next = await iterator.next();
        if (next.done) finished = true;
        else yield next.value;
      }
    } finally {
      // A consumer that stops early (a parser giving up) must still release the source (an fd, a socket).
      if (!finished) await iterator.return?.();
    }
  }
  return { head, input: replay() };
}
