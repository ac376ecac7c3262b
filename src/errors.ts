/**
 * Errors a use case raises on purpose. Each code has one HTTP status (http/error-reply.ts) and each dialect
 * maps codes to its own envelope, so use cases never speak HTTP.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  out_of_stock: 409,
  invalid_state: 409,
  idempotency_key_reused: 422,
  unprocessable: 422,
  /** too many attempts (a rate limit, or an account locked after failed sign-ins): details.retryAfterSeconds */
  rate_limited: 429,
  /** a payment gateway refused or did not answer: not the caller's fault, worth a retry */
  provider_error: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, details?: Record<string, unknown>) =>
  new AppError('not_found', `${what} not found`, details);
