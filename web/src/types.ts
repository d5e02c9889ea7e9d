/**
 * The shapes the dashboard reads, taken from the server's own TypeBox schemas (type-only
 * imports: nothing of the server is bundled), so the two cannot drift apart.
 */
import type { Static } from '@sinclair/typebox';
import type { IocSchema } from '../../src/api/schemas/ioc.js';
import type { LookupResponse } from '../../src/api/schemas/lookup.js';

export type { SessionBody } from '../../src/api/schemas/session.js';
export type { KeySummary, KeyDetail, KeyUsage, CreatedKeyBody } from '../../src/api/schemas/keys.js';
export type { Overview, ExplorerBody, IocPage, DashboardUsage, PlanView } from '../../src/api/schemas/dashboard.js';
export type { UserView, AuditEntryView, FeedView, FeedListBody } from '../../src/api/schemas/admin.js';

export type Ioc = Static<typeof IocSchema>;
export type LookupBody = Static<typeof LookupResponse>;

export interface Page<T> {
  data: T;
}
