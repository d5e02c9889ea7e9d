/**
 * API errors as values: a stable machine code, an HTTP status and a message meant for the
 * person who sent the request. The error handler (plugins/error-handler.ts) turns them into
 * `{"error": {"code", "message", "details", "request_id"}}` (DESIGN.md §7).
 */

/** Every code the API answers with. Codes are part of the public contract: never rename one. */
export const ERROR_CODES = [
  'missing_api_key',
  'invalid_api_key',
  'expired_api_key',
  'invalid_parameter',
  'invalid_cursor',
  'limit_exceeded',
  'lookback_exceeded',
  'plan_upgrade_required',
  'insufficient_scope',
  'rate_limit_exceeded',
  'not_found',
  'ioc_not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'invalid_body',
  'request_timeout',
  'service_unavailable',
  'internal_error',
  // Dashboard sessions and account management (routes/session.ts, keys-admin.ts, users-admin.ts).
  'authentication_required',
  'invalid_credentials',
  'csrf_token_invalid',
  'forbidden',
  'key_limit_reached',
  'conflict',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetails = Record<string, unknown> | Array<Record<string, unknown>>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
    /** Extra response headers (e.g. Retry-After on 429). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** 400 naming the parameter that was wrong. */
export function invalidParameter(parameter: string, message: string, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError(400, 'invalid_parameter', message, { parameter, ...extra });
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetails; request_id: string };
}

export function errorBody(code: string, message: string, requestId: string, details?: ErrorDetails): ErrorBody {
  return details === undefined
    ? { error: { code, message, request_id: requestId } }
    : { error: { code, message, details, request_id: requestId } };
}
