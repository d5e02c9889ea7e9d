/** Schemas of `GET /api/v1/iocs/stats`. */
import { Type } from '@sinclair/typebox';
import { FEED_HEALTH } from '../stats-view.js';
import { Nullable, StringEnum } from './common.js';
import { ResponseMetaSchema } from './search.js';

const Counts = Type.Record(Type.String(), Type.Integer());

const Totals = Type.Object({
  iocs: Type.Integer({ description: 'Every stored IOC, any status' }),
  active: Type.Integer(),
  by_type: Counts,
  by_category: Counts,
  by_source: Counts,
  by_status: Counts,
});

const Feed = Type.Object({
  name: Type.String(),
  health: StringEnum(FEED_HEALTH),
  last_status: Nullable(Type.String()),
  last_run_at: Nullable(Type.String()),
  last_success_at: Nullable(Type.String()),
  last_error: Nullable(Type.String()),
  next_run_at: Nullable(Type.String()),
  added: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
});

export const StatsResponse = Type.Object({
  meta: ResponseMetaSchema,
  data: Type.Object({
    totals: Totals,
    trends: Type.Object({
      last_24h: Type.Object({ new: Type.Integer(), seen: Type.Integer(), updated: Type.Integer() }),
      last_7d: Type.Object({ new: Type.Integer(), seen: Type.Integer() }),
    }),
    feed_health: Type.Object({
      summary: Type.Record(Type.String(), Type.Integer()),
      feeds: Type.Array(Feed),
    }),
    top_techniques: Type.Array(Type.Object({ id: Type.String(), name: Nullable(Type.String()), count: Type.Integer() })),
    top_cves: Type.Array(Type.Object({ cve: Type.String(), source_count: Type.Integer(), last_seen: Type.String() })),
    last_updated: Nullable(Type.String()),
  }),
  totals: Type.Object(
    { by_type: Counts, by_category: Counts, by_source: Counts },
    { description: '(H) shape: data.totals without the extras' },
  ),
  last_updated: Nullable(Type.String({ description: '(H) shape: timestamp of the newest IOC version' })),
});

export const CACHE_HEADERS = {
  'X-Cache-Updated-At': { type: 'string', description: 'When these statistics were computed (ISO 8601)' },
  'X-Cache-Age-Seconds': { type: 'integer', description: 'Seconds since then (at most 60)' },
} as const;
