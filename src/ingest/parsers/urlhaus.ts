import { columnsFrom, field, headerNames, readCsvRows, type Columns } from '../csv-rows.js';
import { problem } from '../parse-items.js';
import { isoUtc, joinContext, present, splitList } from '../record-fields.js';
import type { Confidence } from '../../domain/vocabulary.js';
import type { FeedParser, ParseItem } from '../types.js';

const COLUMNS = ['id', 'dateadded', 'url', 'url_status', 'last_online', 'threat', 'tags', 'urlhaus_link', 'reporter'] as const;
type Column = (typeof COLUMNS)[number];

// URLhaus checks each URL: one it saw serving malware lately is a stronger signal than one gone offline.
const CONFIDENCE_BY_STATUS: Readonly<Record<string, Confidence>> = { online: 'high', offline: 'medium' };

/**
 * abuse.ch URLhaus CSV dumps (`csv_online`, `csv_recent`, full): a `#` banner whose last line is
 * the commented header `# id,dateadded,url,...`, then quoted rows. One `url` indicator per row:
 * threat → threat_type (e.g. malware_download), tags column → tags, urlhaus_link → reference_url,
 * dateadded → first_seen, last_online → last_seen; confidence high when url_status is online,
 * medium when offline.
 */
export const urlhausParser: FeedParser = {
  format: 'urlhaus',
  defaults: { category: 'community', confidence: 'high' },
  async *parse(input) {
    let header = null as string[] | null;
    let columns: Columns<Column> | null = null;
    const onComment = ({ text }: { text: string }): void => {
      const names = headerNames(text);
      if (names.includes('url') && names.includes('urlhaus_link')) header = names;
    };
    for await (const row of readCsvRows(input, { onComment })) {
      if (row.kind === 'bad-row') {
        yield problem(row.line, row.message);
        continue;
      }
      // Some mirrors write the header uncommented.
      if (row.fields.includes('urlhaus_link')) {
        header = row.fields.map((f) => f.trim().toLowerCase());
        columns = null;
        continue;
      }
      columns ??= columnsFrom(header, COLUMNS);
      yield fromUrlhausRow(row.line, row.fields, columns, header?.length ?? COLUMNS.length);
    }
  },
};

function fromUrlhausRow(line: number, fields: string[], columns: Columns<Column>, width: number): ParseItem {
  if (fields.length !== width) return problem(line, `expected ${width} fields, found ${fields.length}`);
  const url = present(field(fields, columns, 'url'));
  if (url === undefined) return problem(line, 'empty url field');
  const status = present(field(fields, columns, 'url_status'))?.toLowerCase();
  const reporter = present(field(fields, columns, 'reporter'));
  return {
    kind: 'indicator',
    line,
    value: url,
    type: 'url',
    first_seen: isoUtc(field(fields, columns, 'dateadded')),
    last_seen: isoUtc(field(fields, columns, 'last_online')),
    confidence: status === undefined ? undefined : CONFIDENCE_BY_STATUS[status],
    threat_type: present(field(fields, columns, 'threat')),
    tags: splitList(field(fields, columns, 'tags')),
    reference_url: present(field(fields, columns, 'urlhaus_link')),
    context: joinContext(status && `URLhaus status: ${status}`, reporter && `reported by ${reporter}`),
  };
}
