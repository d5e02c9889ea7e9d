/** Schemas of `GET /api/v1/lookup` (see api/lookup-view.ts for why it has two shapes). */
import { Type } from '@sinclair/typebox';
import { RISK_LEVELS } from '../../domain/risk.js';
import { CATEGORIES, CONFIDENCES, IOC_TYPES, STATUSES } from '../../domain/vocabulary.js';
import { MAX_OBSERVABLE_LENGTH } from '../observables.js';
import { Nullable, StringEnum } from './common.js';
import { ResponseMetaSchema } from './search.js';

export const LookupQuery = Type.Object({
  ioc: Type.Optional(
    Type.String({
      maxLength: MAX_OBSERVABLE_LENGTH,
      description: 'The observable (IP, domain, URL, hash, CVE, e-mail, ATT&CK id); defanged forms are accepted; type auto-detected',
    }),
  ),
  value: Type.Optional(Type.String({ maxLength: MAX_OBSERVABLE_LENGTH, description: 'Alias of ioc (hand-written docs)' })),
  type: Type.Optional(Type.String({ maxLength: 32, description: `Type override: ${IOC_TYPES.join(', ')}` })),
});

export const RiskSchema = Type.Object(
  {
    score: Type.Integer({ minimum: 0, maximum: 100 }),
    level: StringEnum(RISK_LEVELS),
    factors: Type.Object(
      {
        confidence: Type.Number({ description: 'high 40, medium 25, low 10' }),
        sources: Type.Number({ description: '5 per reporting source beyond the first, at most 20' }),
        categories: Type.Number({ description: 'most authoritative source category: government 15 … news 5' }),
        recency: Type.Number({ description: 'last seen ≤1 d 25, ≤7 d 20, ≤30 d 12, ≤90 d 5' }),
        days_since_last_seen: Type.Integer(),
        status_multiplier: Type.Number({ description: 'active 1, expired 0.5, revoked and allowlisted 0' }),
      },
      { description: 'score = round((confidence + sources + categories + recency) × status_multiplier)' },
    ),
  },
  { description: 'Risk 0-100 and its components; null when the IOC is unknown' },
);

const LookupSourceSchema = Type.Object({
  source_feed: Type.String(),
  source_category: StringEnum(CATEGORIES),
  reference_url: Nullable(Type.String()),
  first_seen: Type.String(),
  last_seen: Type.String(),
  occurrence_count: Type.Integer(),
  confidence: StringEnum(CONFIDENCES),
  context: Nullable(Type.String()),
  feed_name: Type.String({ description: 'Alias of source_feed' }),
  category: StringEnum(CATEGORIES, { description: 'Alias of source_category' }),
  origin: Type.String(),
  article_title: Nullable(Type.String()),
  article_url: Nullable(Type.String()),
});

export const HuntingSchema = Type.Object({
  detection_guidance: Type.String(),
  splunk_query: Type.String({ description: 'Splunk SPL over CIM fields' }),
  kql_query: Type.String({ description: 'Microsoft Sentinel / Defender KQL' }),
});

export const LookupData = Type.Object({
  found: Type.Boolean({ description: 'false does not mean the observable is safe' }),
  id: Nullable(Type.String({ format: 'uuid' })),
  ioc_value: Type.String({ description: 'Canonical value' }),
  ioc_type: StringEnum(IOC_TYPES),
  confidence: Nullable(StringEnum(CONFIDENCES)),
  first_seen: Nullable(Type.String()),
  last_seen: Nullable(Type.String()),
  total_occurrences: Type.Integer(),
  reporting_sources: Type.Integer({ description: 'Number of sources that reported it' }),
  threat_type: Nullable(Type.String()),
  malware_family: Nullable(Type.String()),
  tags: Type.Array(Type.String()),
  mitre_techniques: Type.Array(Type.String()),
  industries: Type.Array(Type.String()),
  risk: Nullable(RiskSchema),
  hunting: HuntingSchema,
  sources: Type.Array(LookupSourceSchema),
  status: Nullable(StringEnum(STATUSES, { description: 'Expired and allowlisted IOCs are found too' })),
  expires_at: Nullable(Type.String()),
});

export const LookupResponse = Type.Object({
  meta: ResponseMetaSchema,
  data: LookupData,
  found: Type.Boolean({ description: '(H) flat field: data.found' }),
  value: Type.String({ description: '(H) flat field: data.ioc_value' }),
  type: StringEnum(IOC_TYPES, { description: '(H) flat field: data.ioc_type' }),
  confidence: Nullable(StringEnum(CONFIDENCES)),
  risk_score: Nullable(StringEnum(RISK_LEVELS, { description: '(H) flat field: data.risk.level' })),
  mitre_techniques: Type.Array(Type.Object({ id: Type.String(), name: Nullable(Type.String()) }), {
    description: '(H) flat field: techniques with names',
  }),
  hunting_queries: Type.Object(
    { splunk: Type.String(), kql: Type.String() },
    { description: '(H) flat field: data.hunting' },
  ),
  sources: Type.Array(Type.Object({ feed_name: Type.String(), category: StringEnum(CATEGORIES) }), {
    description: '(H) flat field: source names and categories',
  }),
});
