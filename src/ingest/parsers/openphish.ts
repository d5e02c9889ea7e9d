import { dataLines } from '../lines.js';
import type { FeedParser } from '../types.js';

/**
 * OpenPhish community feed (`feed.txt`): one phishing URL a line, no banner. Each is a `url`
 * indicator with threat_type `phishing`. Medium confidence: the community feed is automated
 * and phishing URLs go stale within days.
 */
export const openphishParser: FeedParser = {
  format: 'openphish',
  defaults: { category: 'community', confidence: 'medium' },
  async *parse(input) {
    for await (const { line, text } of dataLines(input)) {
      yield { kind: 'indicator', line, value: text.trim(), type: 'url', threat_type: 'phishing' };
    }
  },
};
