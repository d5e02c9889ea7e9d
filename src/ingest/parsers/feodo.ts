import type { Confidence } from '../../domain/vocabulary.js';
import { columnsFrom, field, headerNames, readCsvRows, type Columns } from '../csv-rows.js';
import { pickJsonValues } from '../json-stream.js';
import { dataLines, isCommentOrBlank } from '../lines.js';
import { problem } from '../parse-items.js';
import { peekHead } from '../peek.js';
import { asObject, ipTypeOf, isoUtc, joinContext, present } from '../record-fields.js';
import type { FeedParser, ParseItem } from '../types.js';

const CSV_COLUMNS = ['first_seen_utc', 'dst_ip', 'dst_port', 'c2_status', 'last_online', 'malware'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

// Feodo Tracker marks C2s it reached lately online; an offline one may be gone.
const CONFIDENCE_BY_STATUS: Readonly<Record<string, Confidence>> = { online: 'high', offline: 'medium' };

/** Which of Feodo Tracker's three blocklist layouts a file is, from its first KB. */
export function feodoVariant(head: string): 'json' | 'csv' | 'txt' {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('[') || text.startsWith('{')) return 'json';
  const firstData = text.split(/\r?\n/).find((l) => !isCommentOrBlank(l));
  return firstData?.includes(',') ? 'csv' : 'txt';
}

/**
 * abuse.ch Feodo Tracker botnet C2 blocklists, in any of their layouts (detected from the
 * content): the plain list (`ipblocklist.txt`, `ipblocklist_recommended.txt`: one IP a line),
 * the CSV (uncommented header first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware) and
 * the JSON array (ip_address, port, status, hostname, as_number, as_name, country, first_seen,
 * last_online, malware). Every entry is an IP with threat_type botnet_cc, its malware family,
 * and the port (and network) in the context; confidence follows the C2 status where given.
 */
export const feodoParser: FeedParser = {
  format: 'feodo',
  defaults: { category: 'community', confidence: 'high' },
  async *parse(source) {
    const { head, input } = await peekHead(source, 4096);
    const variant = feodoVariant(head);
    if (variant === 'json') yield* parseJson(input);
    else if (variant === 'csv') yield* parseCsv(input);
    else yield* parseTxt(input);
  },
};

async function* parseTxt(input: AsyncIterable<Buffer | string>): AsyncGenerator<ParseItem> {
  for await (const { line, text } of dataLines(input)) {
    const value = text.trim();
    yield { kind: 'indicator', line, value, type: ipTypeOf(value), threat_type: 'botnet_cc' };
  }
}

async function* parseCsv(input: AsyncIterable<Buffer | string>): AsyncGenerator<ParseItem> {
  let header = null as string[] | null;
  let columns: Columns<CsvColumn> | null = null;
  const onComment = ({ text }: { text: string }): void => {
    const names = headerNames(text);
    if (names.includes('dst_ip')) header = names;
  };
  for await (const row of readCsvRows(input, { onComment })) {
    if (row.kind === 'bad-row') {
      yield problem(row.line, row.message);
      continue;
    }
    if (row.fields.includes('dst_ip')) {
      header = row.fields.map((f) => f.trim().toLowerCase());
      columns = null;
      continue;
    }
    columns ??= columnsFrom(header, CSV_COLUMNS);
    const width = header?.length ?? CSV_COLUMNS.length;
    if (row.fields.length !== width) {
      yield problem(row.line, `expected ${width} fields, found ${row.fields.length}`);
      continue;
    }
    const get = (name: CsvColumn): string => field(row.fields, columns as Columns<CsvColumn>, name);
    yield feodoEntry(row.line, {
      ip: get('dst_ip'),
      port: get('dst_port'),
      status: get('c2_status'),
      firstSeen: get('first_seen_utc'),
      lastOnline: get('last_online'),
      malware: get('malware'),
    });
  }
}

async function* parseJson(input: AsyncIterable<Buffer | string>): AsyncGenerator<ParseItem> {
  for await (const item of pickJsonValues(input, (path) => path.length === 1)) {
    if (item.kind === 'syntax-error') {
      yield problem(item.record, item.message);
      return;
    }
    const rec = asObject(item.value);
    if (!rec) {
      yield problem(item.record, 'blocklist entry is not an object');
      continue;
    }
    const asNumber = present(rec.as_number);
    yield feodoEntry(item.record, {
      ip: rec.ip_address,
      port: rec.port,
      status: rec.status,
      firstSeen: rec.first_seen,
      lastOnline: rec.last_online,
      malware: rec.malware,
      network: joinContext(
        present(rec.hostname) && `host ${present(rec.hostname)}`,
        asNumber && `AS${asNumber} ${present(rec.as_name) ?? ''}`.trim(),
        present(rec.country) && `country ${present(rec.country)}`,
      ),
    });
  }
}

interface FeodoEntry {
  ip: unknown;
  port: unknown;
  status: unknown;
  firstSeen: unknown;
  lastOnline: unknown;
  malware: unknown;
  network?: string;
}

function feodoEntry(line: number, e: FeodoEntry): ParseItem {
  const ip = present(e.ip);
  if (ip === undefined) return problem(line, 'empty IP address field');
  const status = present(e.status)?.toLowerCase();
  const port = present(e.port);
  const malware = present(e.malware);
  return {
    kind: 'indicator',
    line,
    value: ip,
    type: ipTypeOf(ip),
    first_seen: isoUtc(e.firstSeen),
    last_seen: isoUtc(e.lastOnline),
    confidence: status === undefined ? undefined : CONFIDENCE_BY_STATUS[status],
    threat_type: 'botnet_cc',
    malware,
    context: joinContext(
      `${malware ?? 'botnet'} C2${port ? ` on port ${port}` : ''}`,
      status && `status ${status}`,
      e.network,
    ),
  };
}
