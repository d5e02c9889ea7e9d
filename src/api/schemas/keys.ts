/**
 * Schemas of the documented key endpoints (`/api/v1/keys`, session cookie only; research note
 * §1.12): the hosted field names (`tier`, `key_preview`, `key` and its sample code's `full_key`)
 * plus ours (`plan`, `status`, `revoked_reason`, owner).
 */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_USAGE_DAYS } from './usage.js';
import { Nullable, StringEnum } from './common.js';

export const KEY_STATUSES = ['active', 'expired', 'revoked'] as const;

export const KeyIdParams = Type.Object({
  id: Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', description: 'Key id' }),
});

export const KeyListQuery = Type.Object({
  all: Type.Optional(Type.Boolean({ description: "Administrators: every user's keys (default: your own)" })),
});

export const KeySummarySchema = Type.Object({
  id: Type.String(),
  key_prefix: Type.String({ description: 'e.g. sk_live_zIc8: enough to recognise a key, useless to guess one' }),
  name: Type.String(),
  tier: Type.String({ description: 'The plan (hosted name)' }),
  plan: Type.String(),
  scopes: Type.Array(Type.String()),
  status: StringEnum(KEY_STATUSES),
  total_requests: Type.Number({ description: 'Requests counted against the quota over the key’s life (TAXII object pulls count 2.5)' }),
  last_used_at: Nullable(Type.String()),
  created_at: Type.String(),
  expires_at: Nullable(Type.String()),
  revoked_at: Nullable(Type.String()),
  revoked_reason: Nullable(Type.String()),
  user_id: Type.String(),
  user_email: Nullable(Type.String()),
});
export type KeySummary = Static<typeof KeySummarySchema>;

export const KeyDetailSchema = Type.Composite([
  KeySummarySchema,
  Type.Object({
    rate_limit_per_minute: Type.Integer(),
    rate_limit_per_day: Type.Integer(),
    results_per_request: Type.Integer(),
    allowed_ips: Type.Null({ description: 'Not supported: keys are not restricted by address' }),
  }),
]);
export type KeyDetail = Static<typeof KeyDetailSchema>;

export const KeyListResponse = Type.Object({
  meta: Type.Object({ total: Type.Integer(), keys_per_user: Type.Integer(), active: Type.Integer() }),
  data: Type.Array(KeySummarySchema),
});

export const CreateKeyBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'Omit for a key that does not expire' })),
});

export const CreatedKeyResponse = Type.Object({
  meta: Type.Object({ warning: Type.String() }),
  data: Type.Composite([
    KeyDetailSchema,
    Type.Object({
      key: Type.String({ description: 'The full secret: shown this once, never again' }),
      full_key: Type.String({ description: 'Same as key (the hosted sample code reads this name)' }),
      key_preview: Type.String(),
    }),
  ]),
});
export type CreatedKeyBody = Static<typeof CreatedKeyResponse>;

export const RevokeKeyBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 500, description: 'Why (shown in the dashboard)' })),
});

export const KeyResponse = Type.Object({ data: KeyDetailSchema });

export const KeyUsageQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_USAGE_DAYS, default: 30 })),
});

export const KeyUsageSchema = Type.Object({
  key_id: Type.String(),
  window_days: Type.Integer(),
  total_requests: Type.Integer(),
  successful: Type.Integer({ description: 'Answers below 400' }),
  client_errors: Type.Integer(),
  server_errors: Type.Integer(),
  success_rate: Nullable(Type.Number({ description: '0..1; null without requests' })),
  avg_response_time_ms: Nullable(Type.Number()),
  latency_p50_ms: Nullable(Type.Number()),
  latency_p95_ms: Nullable(Type.Number()),
  latency_p99_ms: Nullable(Type.Number()),
  rate_limit_peak_per_minute: Type.Number({ description: 'Most requests counted in one minute (last 2 days: older minutes are pruned)' }),
  rate_limit_peak_per_day: Type.Number(),
  rate_limit_per_minute: Type.Integer(),
  rate_limit_per_day: Type.Integer(),
  top_endpoints: Type.Array(Type.Object({ path: Type.String(), count: Type.Integer() })),
  by_status: Type.Record(Type.String(), Type.Integer()),
  daily: Type.Array(Type.Object({ date: Type.String(), requests: Type.Integer(), errors: Type.Integer() }), {
    description: 'Every UTC day of the window, oldest first',
  }),
  rate_limit_hits_by_hour: Type.Array(Type.Object({ hour: Type.String({ description: 'Start of the UTC hour' }), count: Type.Integer() }), {
    description: 'Hours with 429 answers',
  }),
});
export type KeyUsage = Static<typeof KeyUsageSchema>;

export const KeyUsageResponse = Type.Object({
  meta: Type.Object({ generated_at: Type.String() }),
  data: KeyUsageSchema,
});
