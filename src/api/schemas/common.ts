/**
 * Schema building blocks shared by every route: string enums (OpenAPI-friendly `enum`, not
 * `anyOf const`), nullable values, the error envelope and the rate-limit headers.
 */
import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';

/** A string restricted to `values`, rendered as a plain JSON-schema `enum`. */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string; default?: T[number] } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export function Nullable<T extends TSchema>(schema: T): ReturnType<typeof Type.Union<[T, ReturnType<typeof Type.Null>]>> {
  return Type.Union([schema, Type.Null()]);
}

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. invalid_parameter' }),
      message: Type.String({ description: 'What was wrong, for the person who sent the request' }),
      details: Type.Optional(
        Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Array(Type.Record(Type.String(), Type.Unknown()))]),
      ),
      request_id: Type.String({ description: 'Quote it when reporting a problem' }),
    }),
  },
  { description: 'Every error response' },
);

/** The error envelope with a description of when it is sent (inlined: no shared `$ref` to resolve). */
export function errorResponse(description: string): typeof ErrorResponse {
  return { ...ErrorResponse, description };
}

/** Headers on every authenticated response. */
export const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': { type: 'integer', description: 'Requests allowed in the current window' },
  'X-RateLimit-Remaining': { type: 'integer', description: 'Requests left in the current window' },
  'X-RateLimit-Reset': { type: 'integer', description: 'Unix time (UTC seconds) when the window resets' },
} as const;

/** The error responses every authenticated route can give (documented for OpenAPI). */
export const AUTH_ERROR_RESPONSES = {
  400: errorResponse('A parameter is invalid (the code and details name it)'),
  401: errorResponse('missing_api_key, invalid_api_key or expired_api_key'),
  403: errorResponse('plan_upgrade_required, insufficient_scope or lookback_exceeded'),
  429: errorResponse('rate_limit_exceeded; wait Retry-After seconds'),
} as const;

export const SECURITY: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { apiKeyHeader: [] }];
