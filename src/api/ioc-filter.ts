/**
 * The IOC filter parameters shared by `/iocs` and every export route (type, confidence,
 * category, industry, since, status, limit, offset, cursor), parsed in one place against the
 * caller's plan: limit over the plan → 400 limit_exceeded; since before the lookback → 403
 * lookback_exceeded. Without `since`, the plan's lookback is the floor.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Plan } from '../domain/plans.js';
import {
  CATEGORIES,
  CONFIDENCES,
  IOC_TYPES,
  IOC_TYPE_ALIASES,
  SECTOR_ALIASES,
  STATUSES,
  isIocType,
  isSector,
  type Category,
  type Confidence,
  type IocStatus,
  type IocType,
  type Sector,
} from '../domain/vocabulary.js';
import type { IocPageQuery } from '../store/store.js';
import { decodeCursor } from './cursor.js';
import { ApiError, invalidParameter } from './errors.js';
import { StringEnum } from './schemas/common.js';
import { formatMicros, isoToMicros } from '../store/timestamps.js';

export const STATUS_FILTERS = [...STATUSES, 'all'] as const;
export const DEFAULT_LIMIT = 100;

/** The query-string schema of the shared filters; routes spread it into their own. */
export const IocFilterQueryProperties = {
  type: Type.Optional(
    Type.String({
      maxLength: 300,
      description: `One IOC type or a comma-separated list: ${IOC_TYPES.join(', ')} (mitre_attack is accepted too)`,
    }),
  ),
  confidence: Type.Optional(StringEnum(CONFIDENCES)),
  category: Type.Optional(StringEnum(CATEGORIES, { description: 'Source category' })),
  industry: Type.Optional(
    Type.String({ maxLength: 64, description: 'CISA sector slug, e.g. energy, financial-services (healthcare, finance accepted)' }),
  ),
  since: Type.Optional(
    Type.String({ maxLength: 64, description: 'ISO 8601 date or date-time: IOCs added or updated after it' }),
  ),
  status: Type.Optional(
    StringEnum(STATUS_FILTERS, { description: 'active (default), or all to also sync expirations and revocations' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, description: `Results per page (default ${DEFAULT_LIMIT}; at most the plan's)` })),
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'Documented offset paging (prefer cursor)' })),
  cursor: Type.Optional(
    Type.String({ maxLength: 64, description: 'meta.next_cursor of the previous page: lossless, ascending by version' }),
  ),
};
export const IocFilterQuery = Type.Object(IocFilterQueryProperties);
export type IocFilterQueryInput = Static<typeof IocFilterQuery>;

/** The filters as echoed in `meta.filters`. */
export interface EchoedFilters {
  type: IocType[] | null;
  confidence: Confidence | null;
  category: Category | null;
  industry: Sector | null;
  since: string;
  status: IocStatus | 'all';
}

export interface ParsedIocFilter {
  query: IocPageQuery;
  /** Offset as requested (0 with a cursor). */
  offset: number;
  cursor: string | null;
  filters: EchoedFilters;
}

function parseTypes(raw: string | undefined): IocType[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const out = new Set<IocType>();
  for (const part of raw.split(',')) {
    const t = part.trim().toLowerCase();
    if (t === '') continue;
    const type = IOC_TYPE_ALIASES[t] ?? t;
    if (!isIocType(type)) {
      throw invalidParameter('type', `unknown type "${part.trim()}"; expected one of: ${IOC_TYPES.join(', ')}`, {
        value: part.trim(),
        allowed: IOC_TYPES,
      });
    }
    out.add(type);
  }
  return out.size > 0 ? [...out] : undefined;
}

function parseIndustry(raw: string | undefined): Sector | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const s = raw.trim().toLowerCase();
  const sector = SECTOR_ALIASES[s] ?? s;
  if (!isSector(sector)) {
    throw invalidParameter('industry', `unknown industry "${raw}"; expected a CISA sector slug such as energy or financial-services`, {
      value: raw,
    });
  }
  return sector;
}

/** Start of the lookback window: `now` minus the plan's days, down to the minute (stable for caching). */
export function lookbackFloor(plan: Plan, now: Date): string {
  const ms = now.getTime() - plan.lookbackDays * 86_400_000;
  return formatMicros(Math.floor(ms / 60_000) * 60_000 * 1000);
}

/**
 * Parse and check the shared filters for `plan`.
 *
 * @example parseIocFilter({ type: 'ipv4,domain', limit: 50 }, plans.free, new Date())
 */
export function parseIocFilter(input: IocFilterQueryInput, plan: Plan, now: Date): ParsedIocFilter {
  const types = parseTypes(input.type);
  const industry = parseIndustry(input.industry);
  const limit = input.limit ?? DEFAULT_LIMIT;
  if (limit > plan.resultsPerRequest) {
    throw new ApiError(
      400,
      'limit_exceeded',
      `limit ${limit} is over the ${plan.name} plan's ${plan.resultsPerRequest} results per request`,
      { parameter: 'limit', value: limit, max: plan.resultsPerRequest, plan: plan.name },
    );
  }
  const floor = lookbackFloor(plan, now);
  let since = floor;
  if (input.since !== undefined && input.since.trim() !== '') {
    const micros = isoToMicros(input.since);
    if (Number.isNaN(micros)) {
      throw invalidParameter('since', `since "${input.since}" is not an ISO 8601 date or date-time (e.g. 2026-01-31T00:00:00Z)`, {
        value: input.since,
      });
    }
    const normalized = formatMicros(micros);
    if (normalized < floor) {
      throw new ApiError(
        403,
        'lookback_exceeded',
        `since ${input.since} is before the ${plan.name} plan's lookback of ${plan.lookbackDays} day${plan.lookbackDays === 1 ? '' : 's'} (earliest ${floor})`,
        { parameter: 'since', value: input.since, earliest: floor, lookback_days: plan.lookbackDays, plan: plan.name },
      );
    }
    since = normalized;
  }
  let afterVersion: number | undefined;
  const cursor = input.cursor !== undefined && input.cursor !== '' ? input.cursor : null;
  if (cursor !== null) {
    const v = decodeCursor(cursor);
    if (v === null) {
      throw new ApiError(400, 'invalid_cursor', 'cursor is not one this server issued; start again without it (or from meta.next_cursor)', {
        parameter: 'cursor',
      });
    }
    if ((input.offset ?? 0) > 0) {
      throw invalidParameter('offset', 'offset cannot be combined with cursor: the cursor already says where to continue');
    }
    afterVersion = v;
  }
  const offset = cursor === null ? (input.offset ?? 0) : 0;
  const status = input.status ?? 'active';
  const query: IocPageQuery = { limit, status, since };
  if (types) query.types = types;
  if (input.confidence) query.confidence = input.confidence;
  if (input.category) query.category = input.category;
  if (industry) query.industry = industry;
  if (afterVersion !== undefined) query.afterVersion = afterVersion;
  if (offset > 0) query.offset = offset;
  return {
    query,
    offset,
    cursor,
    filters: {
      type: types ?? null,
      confidence: input.confidence ?? null,
      category: input.category ?? null,
      industry: industry ?? null,
      since,
      status,
    },
  };
}
