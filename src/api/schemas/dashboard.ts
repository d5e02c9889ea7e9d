/** Schemas of the dashboard's read endpoints (`/api/dashboard/*`, any signed-in user). */
import { Type, type Static } from '@sinclair/typebox';
import { IocFilterQueryProperties } from '../ioc-filter.js';
import { FEED_HEALTH } from '../stats-view.js';
import { Nullable, StringEnum } from './common.js';
import { IocSchema } from './ioc.js';
import { MAX_USAGE_DAYS } from './usage.js';

export const OVERVIEW_DAYS = 30;

const Counts = Type.Record(Type.String(), Type.Integer());

export const OverviewSchema = Type.Object({
  totals: Type.Object({ iocs: Type.Integer(), active: Type.Integer() }),
  by_type: Counts,
  by_confidence: Counts,
  by_category: Counts,
  by_status: Counts,
  new_per_day: Type.Array(Type.Object({ date: Type.String(), count: Type.Integer() }), {
    description: `IOCs first seen on each of the last ${OVERVIEW_DAYS} UTC days`,
  }),
  feeds: Type.Array(
    Type.Object({
      name: Type.String(),
      health: StringEnum(FEED_HEALTH),
      last_status: Nullable(Type.String()),
      last_run_at: Nullable(Type.String()),
      last_error: Nullable(Type.String()),
    }),
  ),
  computed_at: Type.String({ description: 'When the counts were computed (they are cached until the IOCs change)' }),
});
export type Overview = Static<typeof OverviewSchema>;
export const OverviewResponse = Type.Object({ data: OverviewSchema });

/** The explorer's filters: the API's (ioc-filter.ts), with keyset paging newest first. */
export const ExplorerQuery = Type.Object({
  type: IocFilterQueryProperties.type,
  confidence: IocFilterQueryProperties.confidence,
  category: IocFilterQueryProperties.category,
  industry: IocFilterQueryProperties.industry,
  since: IocFilterQueryProperties.since,
  status: IocFilterQueryProperties.status,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'meta.next_before of the previous page' })),
});

export const ExplorerResponse = Type.Object({
  meta: Type.Object({
    total: Type.Integer({ description: 'Matching IOCs, counted up to a cap' }),
    total_capped: Type.Boolean({ description: 'True when more IOCs match than total says' }),
    limit: Type.Integer(),
    next_before: Nullable(Type.Integer()),
    since: Type.String(),
    lookback_days: Type.Integer(),
  }),
  data: Type.Array(IocSchema),
});
export type ExplorerBody = Static<typeof ExplorerResponse>;

export const IocPageSchema = Type.Object({
  ioc: IocSchema,
  risk: Type.Object({ score: Type.Integer(), level: Type.String() }),
  renderings: Type.Object({
    stix: Type.String({ description: 'The STIX 2.1 object, pretty-printed' }),
    sigma: Nullable(Type.String({ description: 'The Sigma rule (null for types no log source matches)' })),
    curl: Type.Object({ by_id: Type.String(), lookup: Type.String() }),
    splunk: Type.String(),
    kql: Type.String(),
  }),
});
export type IocPage = Static<typeof IocPageSchema>;
export const IocPageResponse = Type.Object({ data: IocPageSchema });

export const DashboardUsageQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_USAGE_DAYS, default: 30 })),
});

const PlanSchema = Type.Object({
  name: Type.String(),
  results_per_request: Type.Integer(),
  requests_per_minute: Type.Integer(),
  requests_per_day: Type.Integer(),
  lookback_days: Type.Integer(),
  keys_per_user: Type.Integer(),
  features: Type.Array(Type.String()),
});
export type PlanView = Static<typeof PlanSchema>;

export const DashboardUsageSchema = Type.Object({
  plan: PlanSchema,
  upgrade: Nullable(Type.Object({ plan: PlanSchema, unlocks: Type.Array(Type.String()) })),
  keys: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      key_prefix: Type.String(),
      minute: Type.Object({ used: Type.Number(), limit: Type.Integer() }),
      day: Type.Object({ used: Type.Number(), limit: Type.Integer(), remaining: Type.Integer(), resets_at: Type.String() }),
    }),
    { description: 'Active keys; quotas are per key' },
  ),
  today: Type.Object({ requests: Type.Number() }),
  daily: Type.Array(Type.Object({ date: Type.String(), requests: Type.Number() })),
});
export type DashboardUsage = Static<typeof DashboardUsageSchema>;
export const DashboardUsageResponse = Type.Object({ data: DashboardUsageSchema });
