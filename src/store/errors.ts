/** Stable codes for the failures a store caller can act on (bad input, bad configuration). */
export type StoreErrorCode = 'invalid_timestamp' | 'invalid_database_url' | 'read_only';

/** An error value with a stable `code` and a message meant for the person who sent the input. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}
