import type { FeedFormat, FeedParser } from '../types.js';
import { cisaKevParser } from './cisa-kev.js';
import { createCsvParser, csvParser, type CsvColumnMapping } from './csv.js';
import { feodoParser } from './feodo.js';
import { listParser } from './list.js';
import { malwarebazaarParser } from './malwarebazaar.js';
import { mispParser } from './misp.js';
import { openphishParser } from './openphish.js';
import { spamhausDropParser } from './spamhaus-drop.js';
import { stixParser } from './stix.js';
import { threatfoxParser } from './threatfox.js';
import { threatfoxCsvParser } from './threatfox-csv.js';
import { urlhausParser } from './urlhaus.js';

export type { CsvColumnMapping } from './csv.js';
export { parseMispFeedDirectory } from './misp.js';

/** Every parser by its format: adding a format is one parser file and one line here. */
const PARSERS: Readonly<Record<FeedFormat, FeedParser>> = {
  'cisa-kev': cisaKevParser,
  urlhaus: urlhausParser,
  threatfox: threatfoxParser,
  'threatfox-csv': threatfoxCsvParser,
  feodo: feodoParser,
  'spamhaus-drop': spamhausDropParser,
  openphish: openphishParser,
  malwarebazaar: malwarebazaarParser,
  list: listParser,
  csv: csvParser,
  stix: stixParser,
  misp: mispParser,
};

export interface ParserOptions {
  /** Column mapping for the generic `csv` format (ignored by the others). */
  csv?: CsvColumnMapping;
}

/**
 * The parser of a feed format.
 *
 * @example
 * for await (const item of parserFor('urlhaus').parse(createReadStream('csv_online.csv'))) ...
 * parserFor('csv', { csv: { value: 'indicator', type: 'domain' } })
 */
export function parserFor(format: FeedFormat, options: ParserOptions = {}): FeedParser {
  if (format === 'csv' && options.csv) return createCsvParser(options.csv);
  return PARSERS[format];
}
