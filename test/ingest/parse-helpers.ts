import { createReadStream } from 'node:fs';
import type { FeedParser, ParseItem, ParseProblem, ParseSkip, RawIndicator } from '../../src/ingest/types.js';
import { sharedFile } from '../support/shared-data.js';

/** What a parser yielded, split by kind. */
export interface Collected {
  indicators: RawIndicator[];
  problems: ParseProblem[];
  skips: ParseSkip[];
}

export async function collectItems(items: AsyncIterable<ParseItem>): Promise<Collected> {
  const out: Collected = { indicators: [], problems: [], skips: [] };
  for await (const item of items) {
    if (item.kind === 'indicator') out.indicators.push(item);
    else if (item.kind === 'problem') out.problems.push(item);
    else out.skips.push(item);
  }
  return out;
}

export function collect(parser: FeedParser, input: AsyncIterable<Buffer | string>): Promise<Collected> {
  return collectItems(parser.parse(input));
}

/** Text as a stream cut into `chunkSize`-character pieces, to cross chunk boundaries anywhere. */
export async function* textStream(text: string, chunkSize = 7): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
}

export function sharedStream(...parts: string[]): AsyncIterable<Buffer | string> {
  return createReadStream(sharedFile(...parts));
}
