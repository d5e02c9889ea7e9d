import { dataLines } from '../lines.js';
import type { FeedParser } from '../types.js';

/**
 * A plain list: one indicator a line, of any type (the runner detects each one's type), with
 * `#` and `;` comment lines and blank lines ignored. For in-house blocklists and any feed that
 * publishes bare values.
 */
export const listParser: FeedParser = {
  format: 'list',
  defaults: {},
  async *parse(input) {
    for await (const { line, text } of dataLines(input, '#;')) {
      yield { kind: 'indicator', line, value: text.trim() };
    }
  },
};
