/** Schemas of the dashboard's administration endpoints (`/api/admin/*`, administrators only). */
import { Type, type Static } from '@sinclair/typebox';
import { MIN_PASSWORD_LENGTH } from '../accounts.js';
import { FEED_HEALTH } from '../stats-view.js';
import { Nullable, StringEnum } from './common.js';

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: StringEnum(['admin', 'member'] as const),
  plan: Type.String(),
  disabled: Type.Boolean(),
  created_at: Type.String(),
});
export type UserView = Static<typeof UserSchema>;

export const UserListResponse = Type.Object({ data: Type.Array(UserSchema), meta: Type.Object({ plans: Type.Array(Type.String()) }) });

export const CreateUserBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 320 }),
  password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 }),
  role: StringEnum(['admin', 'member'] as const, { default: 'member' }),
  plan: Type.String({ minLength: 1, maxLength: 32, default: 'free' }),
});

export const UserIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const UpdateUserBody = Type.Object({
  plan: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  disabled: Type.Optional(Type.Boolean()),
});

export const UserResponse = Type.Object({ data: UserSchema });

export const AuditQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'Continue below this entry id (meta.next_before)' })),
});

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Nullable(Type.Object({ id: Type.String(), email: Type.String() })),
  action: Type.String(),
  target: Nullable(Type.Object({ type: Type.String(), id: Type.String() })),
  details: Type.Record(Type.String(), Type.Unknown()),
  ip: Nullable(Type.String()),
});
export type AuditEntryView = Static<typeof AuditEntrySchema>;

export const AuditResponse = Type.Object({
  data: Type.Array(AuditEntrySchema),
  meta: Type.Object({ next_before: Nullable(Type.Integer()) }),
});

const Progress = Type.Object({
  started_at: Type.String(),
  lines: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  bytes: Type.Integer(),
});

export const FeedSchema = Type.Object({
  name: Type.String(),
  configured: Type.Boolean({ description: 'In the feed config (false: only its past runs are stored)' }),
  enabled: Type.Boolean(),
  format: Nullable(Type.String()),
  source: Nullable(Type.String({ description: 'URL or file path' })),
  schedule: Nullable(Type.String()),
  health: StringEnum(FEED_HEALTH),
  last_status: Nullable(Type.String()),
  last_run_at: Nullable(Type.String()),
  last_success_at: Nullable(Type.String()),
  last_error: Nullable(Type.String()),
  added: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  next_run_at: Nullable(Type.String()),
  running: Type.Boolean(),
  progress: Nullable(Progress),
  warnings: Type.Array(Type.String()),
});
export type FeedView = Static<typeof FeedSchema>;

export const FeedListResponse = Type.Object({
  data: Type.Array(FeedSchema),
  meta: Type.Object({ config: Nullable(Type.String()), config_error: Nullable(Type.String()) }),
});
export type FeedListBody = Static<typeof FeedListResponse>;

export const FeedNameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });

export const FeedResponse = Type.Object({ data: FeedSchema });
