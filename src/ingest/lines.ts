import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';

/** One line of a feed with its 1-based number, without its line ending (LF or CRLF). */
export interface NumberedLine {
  line: number;
  text: string;
}

/**
 * Splits a byte stream into numbered lines with node:readline, so a feed is read one line at a
 * time whatever its size. A UTF-8 byte-order mark on the first line is dropped.
 *
 * @example
 * for await (const { line, text } of readLines(createReadStream('feed.txt'))) console.log(line, text);
 */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<NumberedLine> {
  const source = Readable.from(input);
  const rl = createInterface({ input: source, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of rl) {
      line += 1;
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      yield { line, text };
    }
  } finally {
    rl.close();
    // A reader that stops early must release the input (a file descriptor, a connection).
    source.destroy();
  }
}

/** True for a blank line or one whose first non-blank character is one of `markers`. */
export function isCommentOrBlank(text: string, markers: string = '#'): boolean {
  const trimmed = text.trimStart();
  return trimmed === '' || markers.includes(trimmed.charAt(0));
}

/** The text of a comment line without its markers and surrounding blanks: `# id,url` → `id,url`. */
export function commentBody(text: string, markers: string = '#'): string {
  let i = 0;
  while (i < text.length && (markers.includes(text.charAt(i)) || text.charAt(i) === ' ' || text.charAt(i) === '\t')) i++;
  return text.slice(i).trimEnd();
}

/**
 * The data lines of a line-oriented feed: blank lines and comment lines (`#` by default; Spamhaus
 * uses `;`) are dropped. `onComment` sees every comment line, e.g. to pick up a commented header.
 */
export async function* dataLines(
  input: AsyncIterable<Buffer | string>,
  markers: string = '#',
  onComment?: (line: NumberedLine) => void,
): AsyncGenerator<NumberedLine> {
  for await (const l of readLines(input)) {
    if (isCommentOrBlank(l.text, markers)) {
      if (onComment && l.text.trim() !== '') onComment(l);
      continue;
    }
    yield l;
  }
}
