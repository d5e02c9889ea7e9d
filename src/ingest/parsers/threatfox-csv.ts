import { columnsFrom, field, headerNames, readCsvRows, type Columns } from '../csv-rows.js';
import { problem } from '../parse-items.js';
import type { FeedParser } from '../types.js';
import { fromThreatFoxRecord } from './threatfox-record.js';

const COLUMNS = [
  'first_seen_utc',
  'ioc_id',
  'ioc_value',
  'ioc_type',
  'threat_type',
  'fk_malware',
  'malware_alias',
  'malware_printable',
  'last_seen_utc',
  'confidence_level',
  'is_compromised',
  'reference',
  'tags',
  'anonymous',
  'reporter',
] as const;
type Column = (typeof COLUMNS)[number];

/**
 * ThreatFox CSV export (`/export/csv/recent/`, `/export/csv/full/`): a `#` banner ending in the
 * commented header, then rows of quoted fields separated by `", "`, CRLF line endings. Fields
 * map as in the JSON export (see threatfox-record.ts).
 */
export const threatfoxCsvParser: FeedParser = {
  format: 'threatfox-csv',
  defaults: { category: 'community', confidence: 'medium' },
  async *parse(input) {
    let header = null as string[] | null;
    let columns: Columns<Column> | null = null;
    const onComment = ({ text }: { text: string }): void => {
      const names = headerNames(text);
      if (names.includes('ioc_value')) header = names;
    };
    for await (const row of readCsvRows(input, { delimiter: ', ', onComment })) {
      if (row.kind === 'bad-row') {
        yield problem(row.line, row.message);
        continue;
      }
      columns ??= columnsFrom(header, COLUMNS);
      const width = header?.length ?? COLUMNS.length;
      if (row.fields.length !== width) {
        yield problem(row.line, `expected ${width} fields, found ${row.fields.length}`);
        continue;
      }
      const get = (name: Column): string => field(row.fields, columns as Columns<Column>, name);
      yield fromThreatFoxRecord(row.line, {
        ioc_id: get('ioc_id'),
        ioc_value: get('ioc_value'),
        ioc_type: get('ioc_type'),
        threat_type: get('threat_type'),
        malware_printable: get('malware_printable'),
        malware_alias: get('malware_alias'),
        first_seen_utc: get('first_seen_utc'),
        last_seen_utc: get('last_seen_utc'),
        confidence_level: get('confidence_level'),
        is_compromised: get('is_compromised'),
        reference: get('reference'),
        tags: get('tags'),
        reporter: get('reporter'),
      });
    }
  },
};
