/**
 * Account rule violations (accounts.ts AccountError) as API errors: the status and code a
 * dashboard or script can act on, the rule's own message, and the parameter at fault.
 */
import { AccountError, type AccountErrorCode } from './accounts.js';
import { ApiError } from './errors.js';

const PARAMETER: Partial<Record<AccountErrorCode, string>> = {
  invalid_email: 'email',
  weak_password: 'password',
  unknown_plan: 'plan',
  invalid_key_name: 'name',
  invalid_expiry: 'expires_in_days',
  invalid_reason: 'reason',
  ambiguous_key: 'id',
};

export function accountApiError(err: AccountError): ApiError {
  const parameter = PARAMETER[err.code];
  if (parameter !== undefined) return new ApiError(400, 'invalid_parameter', err.message, { parameter, reason: err.code });
  switch (err.code) {
    case 'email_taken':
    case 'already_revoked':
      return new ApiError(409, 'conflict', err.message, { reason: err.code });
    case 'unknown_user':
    case 'unknown_key':
      return new ApiError(404, 'not_found', err.message, { reason: err.code });
    case 'user_disabled':
      return new ApiError(403, 'forbidden', err.message, { reason: err.code });
    case 'key_limit_reached':
      return new ApiError(403, 'key_limit_reached', err.message);
    default:
      return new ApiError(400, 'invalid_parameter', err.message, { reason: err.code });
  }
}

/** Run an account operation, turning its rule violations into API errors. */
export async function accountCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AccountError) throw accountApiError(err);
    throw err;
  }
}
