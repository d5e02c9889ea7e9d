/** Schemas of `GET /api/v1/iocs`: its query string and its JSON envelope. */
import { Type, type Static } from '@sinclair/typebox';
import { CATEGORIES, CONFIDENCES, IOC_TYPES, SECTORS } from '../../domain/vocabulary.js';
import { IocFilterQueryProperties, STATUS_FILTERS } from '../ioc-filter.js';
import { Nullable, StringEnum } from './common.js';
import { IocSchema } from './ioc.js';
import { HecQueryProperties } from './splunk.js';

export const LIST_FORMATS = ['json', 'csv', 'txt', 'ndjson', 'hec'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

export const IocListQuery = Type.Object({
  ...IocFilterQueryProperties,
  format: Type.Optional(
    StringEnum(LIST_FORMATS, {
      description:
        'json (envelope), csv (10 documented columns), txt (one value a line), ndjson (one IOC a line), ' +
        'hec (one Splunk HEC event envelope a line, for /services/collector/event; needs the ndjson feature)',
    }),
  ),
  ...HecQueryProperties,
});
export type IocListQueryInput = Static<typeof IocListQuery>;

export const ListFilters = Type.Object({
  type: Nullable(Type.Array(StringEnum(IOC_TYPES))),
  confidence: Nullable(StringEnum(CONFIDENCES)),
  category: Nullable(StringEnum(CATEGORIES)),
  industry: Nullable(StringEnum(SECTORS)),
  since: Type.String({ description: 'Effective lower bound: the given since, or the start of the plan lookback' }),
  status: StringEnum(STATUS_FILTERS),
});

export const ListMeta = Type.Object({
  total: Type.Integer({ description: 'IOCs matching the filters' }),
  limit: Type.Integer(),
  offset: Type.Integer(),
  next_cursor: Nullable(Type.String({ description: 'Pass as cursor to continue after this page (kept even on the last page, to resume later)' })),
  has_more: Type.Boolean({ description: 'Whether another page is ready now' }),
  generated_at: Type.String(),
  feed_version: Type.String(),
  source: Type.String(),
  filters: ListFilters,
});

export const IocListResponse = Type.Object({
  meta: ListMeta,
  data: Type.Array(IocSchema),
  links: Type.Object({ self: Type.String(), next: Nullable(Type.String()) }),
});

export const PAGE_HEADERS = {
  'X-Total-Count': { type: 'integer', description: 'meta.total' },
  'X-Next-Cursor': { type: 'string', description: 'meta.next_cursor (absent when null)' },
  'X-Has-More': { type: 'string', enum: ['true', 'false'], description: 'meta.has_more' },
  'X-Result-Count': { type: 'integer', description: 'IOCs in this response' },
} as const;
