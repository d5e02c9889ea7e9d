/**
 * The IOC record as the API returns it (DESIGN.md §5, src/domain/ioc.ts): the hosted product's
 * fields first, then ours. The single schema for validation, documentation and response checks.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CATEGORIES, CONFIDENCES, IOC_TYPES, ORIGINS, SECTORS, STATUSES, TLPS } from '../../domain/vocabulary.js';
import { Nullable, StringEnum } from './common.js';

const Timestamp = Type.String({ description: 'ISO 8601 UTC' });

export const IocSourceSchema = Type.Object({
  feed_name: Type.String(),
  category: StringEnum(CATEGORIES),
  origin: StringEnum(ORIGINS),
  reference_url: Nullable(Type.String()),
  article_id: Nullable(Type.String()),
  article_title: Nullable(Type.String()),
  article_url: Nullable(Type.String()),
  first_seen: Timestamp,
  last_seen: Timestamp,
  confidence: StringEnum(CONFIDENCES),
  context: Nullable(Type.String()),
});

export const IocSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'UUIDv5 of type:value, stable across databases' }),
    type: StringEnum(IOC_TYPES),
    value: Type.String({ description: 'Canonical value' }),
    confidence: StringEnum(CONFIDENCES),
    first_seen: Timestamp,
    last_seen: Timestamp,
    source: Type.Object(
      {
        feed_name: Type.String(),
        category: StringEnum(CATEGORIES),
        origin: StringEnum(ORIGINS),
        reference_url: Nullable(Type.String()),
        article_id: Nullable(Type.String()),
        article_title: Nullable(Type.String()),
        article_url: Nullable(Type.String()),
      },
      { description: 'The most relevant source' },
    ),
    context: Nullable(Type.String()),
    tags: Type.Array(Type.String()),
    mitre_techniques: Type.Array(Type.String()),
    sources: Type.Array(IocSourceSchema, { description: 'Every source, each with its own first and last seen' }),
    industries: Type.Array(StringEnum(SECTORS), { description: 'CISA critical-infrastructure sector slugs' }),
    threat_type: Nullable(Type.String()),
    malware: Nullable(Type.String()),
    tlp: StringEnum(TLPS),
    expires_at: Nullable(Timestamp),
    status: StringEnum(STATUSES),
    updated_at: Timestamp,
    version: Type.Integer({ description: 'Version sequence number of this state; strictly increasing' }),
  },
  { description: 'An indicator of compromise' },
);
export type IocSchemaType = Static<typeof IocSchema>;
