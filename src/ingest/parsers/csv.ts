import { IOC_TYPE_ALIASES, isIocType, type Confidence, type IocType } from '../../domain/vocabulary.js';
import { readCsvRows } from '../csv-rows.js';
import { problem, skip } from '../parse-items.js';
import { confidenceFromPercent, isoUtc, present, splitList } from '../record-fields.js';
import type { FeedParser, ParseItem } from '../types.js';

/** A column of a generic CSV feed: its header name (case-insensitive) or its 1-based number. */
export type CsvColumnRef = string | number;

/** How a generic CSV feed's columns map to indicator fields (feed config `csv:`). */
export interface CsvColumnMapping {
  /** The column holding the indicator value. Default: `value`, else the first column. */
  value?: CsvColumnRef;
  /** A column naming each row's type (`ipv4`, `domain`, `sha256`...; empty → detected). */
  type_column?: CsvColumnRef;
  /** One type for every row. Without it or `type_column`, each value's type is detected. */
  type?: IocType;
  tags?: CsvColumnRef;
  /** Separator inside the tags column; default `,`. */
  tags_separator?: string;
  /** `high`/`medium`/`low`, or a 0-100 score. */
  confidence?: CsvColumnRef;
  first_seen?: CsvColumnRef;
  last_seen?: CsvColumnRef;
  threat_type?: CsvColumnRef;
  malware?: CsvColumnRef;
  context?: CsvColumnRef;
  reference_url?: CsvColumnRef;
  /** Field delimiter; default `,`. */
  delimiter?: string;
  /** Whether the first non-comment row names the columns; default true. */
  header?: boolean;
}

const OPTIONAL_FIELDS = ['tags', 'confidence', 'first_seen', 'last_seen', 'threat_type', 'malware', 'context', 'reference_url'] as const;
type OptionalField = (typeof OPTIONAL_FIELDS)[number];

// Type names other tools write in a type column; null: an IP of either version, detected.
const TYPE_NAMES: Readonly<Record<string, IocType | null>> = {
  ...IOC_TYPE_ALIASES,
  ip: null,
  'ip-dst': null,
  'ip-src': null,
  'ipv4-addr': 'ipv4',
  'ipv6-addr': 'ipv6',
  hostname: 'domain',
  'domain-name': 'domain',
  fqdn: 'domain',
  uri: 'url',
  'email-addr': 'email',
  vulnerability: 'cve',
  technique: 'mitre-attack',
};

interface ResolvedColumns {
  value: number;
  type?: number;
  optional: Partial<Record<OptionalField, number>>;
}

/**
 * A parser for a CSV feed of our own shape, read through a column mapping.
 *
 * @example
 * createCsvParser({ value: 'indicator', type_column: 'kind', tags: 'labels', first_seen: 'added' })
 */
export function createCsvParser(mapping: CsvColumnMapping = {}): FeedParser {
  return {
    format: 'csv',
    defaults: {},
    async *parse(input) {
      const hasHeader = mapping.header ?? true;
      let columns: ResolvedColumns | null = null;
      for await (const row of readCsvRows(input, { delimiter: mapping.delimiter ?? ',' })) {
        if (row.kind === 'bad-row') {
          yield problem(row.line, row.message);
          continue;
        }
        if (columns === null) {
          const header = hasHeader ? row.fields.map((f) => f.trim().toLowerCase()) : null;
          const resolved = resolveColumns(mapping, header);
          if (typeof resolved === 'string') {
            yield problem(row.line, resolved);
            return;
          }
          columns = resolved;
          if (hasHeader) continue;
        }
        yield fromCsvRow(row.line, row.fields, columns, mapping);
      }
    },
  };
}

/** The generic CSV parser with the default mapping (a `value` column, an optional `type` column). */
export const csvParser: FeedParser = createCsvParser();

function resolveColumns(mapping: CsvColumnMapping, header: string[] | null): ResolvedColumns | string {
  const find = (ref: CsvColumnRef, name: string): number | string => {
    if (typeof ref === 'number') return ref >= 1 ? ref - 1 : `csv.${name}: column numbers start at 1`;
    if (/^\d+$/.test(ref)) return Number(ref) - 1;
    if (!header) return `csv.${name}: column "${ref}" needs a header row (or use a column number)`;
    const i = header.indexOf(ref.trim().toLowerCase());
    return i >= 0 ? i : `csv.${name}: no column "${ref}" in the header (${header.join(', ')})`;
  };
  const valueRef = mapping.value ?? (header?.includes('value') ? 'value' : 1);
  const value = find(valueRef, 'value');
  if (typeof value === 'string') return value;
  const resolved: ResolvedColumns = { value, optional: {} };
  const typeRef = mapping.type_column ?? (mapping.type === undefined && header?.includes('type') ? 'type' : undefined);
  if (typeRef !== undefined) {
    const type = find(typeRef, 'type_column');
    if (typeof type === 'string') return type;
    resolved.type = type;
  }
  for (const name of OPTIONAL_FIELDS) {
    const ref = mapping[name];
    if (ref === undefined) continue;
    const i = find(ref, name);
    if (typeof i === 'string') return i;
    resolved.optional[name] = i;
  }
  return resolved;
}

function fromCsvRow(line: number, fields: string[], columns: ResolvedColumns, mapping: CsvColumnMapping): ParseItem {
  const value = present(fields[columns.value]);
  if (value === undefined) return problem(line, 'empty value column');
  let type = mapping.type;
  if (columns.type !== undefined) {
    const name = present(fields[columns.type])?.toLowerCase();
    if (name !== undefined) {
      const known = isIocType(name) ? name : TYPE_NAMES[name];
      if (known === undefined) return skip(line, `type "${name}" is not an IOC type we store`);
      type = known ?? undefined;
    }
  }
  const get = (name: OptionalField): string | undefined => {
    const i = columns.optional[name];
    return i === undefined ? undefined : present(fields[i]);
  };
  return {
    kind: 'indicator',
    line,
    value,
    type,
    tags: splitList(get('tags'), mapping.tags_separator ?? ','),
    confidence: confidenceOf(get('confidence')),
    first_seen: isoUtc(get('first_seen')),
    last_seen: isoUtc(get('last_seen')),
    threat_type: get('threat_type'),
    malware: get('malware'),
    context: get('context'),
    reference_url: get('reference_url'),
  };
}

function confidenceOf(text: string | undefined): Confidence | undefined {
  if (text === undefined) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'high' || lower === 'medium' || lower === 'low') return lower;
  return confidenceFromPercent(text);
}
