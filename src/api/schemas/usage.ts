/** Schemas of `GET /api/v1/usage`. */
import { Type } from '@sinclair/typebox';
import { Nullable } from './common.js';
import { ResponseMetaSchema } from './search.js';

export const MAX_USAGE_DAYS = 90;

export const UsageQuery = Type.Object({
  days: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_USAGE_DAYS, default: 7, description: 'Length of the daily series (7 or 30 are typical)' }),
  ),
});

const Window = Type.Object({
  used: Type.Number({ description: 'Requests counted (TAXII object pulls count 2.5), this one included' }),
  limit: Type.Integer(),
  remaining: Type.Integer(),
  resets_at: Type.String(),
});

export const UsageResponse = Type.Object({
  meta: ResponseMetaSchema,
  data: Type.Object({
    key: Type.Object({ id: Type.String(), name: Nullable(Type.String()), key_prefix: Nullable(Type.String()) }),
    plan: Type.Object({
      name: Type.String(),
      limits: Type.Object({
        results_per_request: Type.Integer(),
        requests_per_minute: Type.Integer(),
        requests_per_day: Type.Integer(),
        lookback_days: Type.Integer(),
        keys_per_user: Type.Integer(),
      }),
      features: Type.Array(Type.String()),
    }),
    current: Type.Object({ minute: Window, day: Window }),
    window_days: Type.Integer(),
    daily: Type.Array(
      Type.Object({
        date: Type.String({ description: 'UTC day, YYYY-MM-DD' }),
        requests: Type.Number({ description: 'Requests counted against the quota' }),
        client_errors: Type.Integer({ description: '4xx answers (from the request log, written within about a second)' }),
        server_errors: Type.Integer(),
      }),
      { description: 'One entry per UTC day, oldest first, today last' },
    ),
  }),
});
