/** Why a push run stopped, as a value with a stable code and a message for the operator. */
export class PushRunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PushRunError';
  }
}

/** Codes a run can end with besides the destination's own (hec_invalid_token, webhook_not_found...). */
export const PUSH_ERROR_CODES = {
  retriesExhausted: 'retries_exhausted',
  leaseLost: 'lease_lost',
  busy: 'destination_busy',
  unavailable: 'destination_unavailable',
  protocol: 'protocol_error',
  internal: 'internal_error',
} as const;
