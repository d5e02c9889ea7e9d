/** Schemas of `POST /api/v1/match`. */
import { Type } from '@sinclair/typebox';
import { IocSchema } from './ioc.js';
import { ResponseMetaSchema } from './search.js';

/** Observables one request may submit. */
export const MAX_MATCH_OBSERVABLES = 10_000;
/** Invalid observables listed back (all are counted). */
export const MAX_LISTED_INVALID = 100;
/** Room for 10,000 long URLs; the global limit (1 MiB) would refuse realistic batches. */
export const MATCH_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

export const MatchBody = Type.Object({
  observables: Type.Array(Type.String(), {
    description: `Up to ${MAX_MATCH_OBSERVABLES} values of any type (defanged accepted); more → 413 payload_too_large`,
  }),
});

export const MatchResponse = Type.Object({
  meta: ResponseMetaSchema,
  data: Type.Object({
    matches: Type.Array(
      Type.Object({
        observable: Type.String({ description: 'As submitted (the first spelling, when several normalize alike)' }),
        ioc: IocSchema,
      }),
      { description: 'Known observables, each once, in submission order' },
    ),
    invalid: Type.Array(
      Type.Object({ index: Type.Integer(), observable: Type.String(), code: Type.String(), reason: Type.String() }),
      { description: `The first ${MAX_LISTED_INVALID} observables that are not valid indicators` },
    ),
    summary: Type.Object({
      submitted: Type.Integer(),
      unique: Type.Integer({ description: 'Distinct valid observables after normalization' }),
      matched: Type.Integer(),
      unknown: Type.Integer({ description: 'Valid but not stored' }),
      invalid: Type.Integer(),
    }),
  }),
});
