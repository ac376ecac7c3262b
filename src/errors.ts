/**
 * Errors a use case raises on purpose. Every refusal has its own code, at the top level of the error body, and
 * each code one HTTP status; the descriptions are published in /openapi.json. Each dialect maps codes to its own
 * envelope, so use cases never speak HTTP.
 */
export const ERROR_CODES = {
  validation_failed: {
    status: 400,
    description: 'the request breaks the schema or a rule of the field (details say which)',
  },
  invalid_auth_code: { status: 400, description: 'the scanned code is not a WeChat or Alipay payment code' },
  unauthorized: { status: 401, description: 'no valid token, or wrong credentials' },
  bad_sms_code: { status: 401, description: 'the SMS sign-in code is wrong or expired' },
  unknown_mobile: { status: 401, description: 'no member has this mobile number' },
  forbidden: { status: 403, description: 'signed in, but not allowed to do this' },
  refund_password: { status: 403, description: 'wrong operator or refund password for a till refund' },
  not_found: { status: 404, description: 'no such thing, or it belongs to someone else' },
  conflict: { status: 409, description: 'a concurrent change got there first; try again' },
  out_of_stock: { status: 409, description: 'not enough stock for a line (details.productId)' },
  invalid_state: { status: 409, description: 'the order, payment or refund is not in a state that allows this' },
  settled: { status: 409, description: 'the order is settled: its refund window has closed' },
  idempotency_key_reused: { status: 422, description: 'this Idempotency-Key was used for a different request' },
  unprocessable: { status: 422, description: 'a business rule refuses the request (the message says which)' },
  address_required: {
    status: 422,
    description: 'a physical order needs an address (addressId) or pickup at the store (delivery "pickup")',
  },
  insufficient_balance: { status: 422, description: 'the member balance does not cover the payment' },
  insufficient_points: { status: 422, description: 'the member does not hold enough points' },
  exceeds_refundable: { status: 422, description: 'more than can still be refunded (on the order or the line)' },
  exceeds_deposit: { status: 422, description: 'more than the held deposit' },
  method_not_available: { status: 422, description: 'the payment method is not enabled for this store and client' },
  /** too many attempts (a rate limit, or an account locked after failed sign-ins): details.retryAfterSeconds */
  rate_limited: { status: 429, description: 'too many attempts; retry after details.retryAfterSeconds' },
  /** a payment gateway refused or did not answer: not the caller's fault, worth a retry */
  provider_error: { status: 502, description: 'the payment gateway refused or did not answer; worth a retry' },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes the HTTP layer answers with by itself, around the use cases (http/error-reply.ts). */
export const REQUEST_ERROR_CODES = {
  bad_request: { status: 400, description: 'the request cannot be read (malformed JSON, a broken %-escape, …)' },
  method_not_allowed: { status: 405, description: 'the route does not take this method' },
  not_acceptable: { status: 406, description: 'no answer in an accepted media type' },
  payload_too_large: { status: 413, description: 'the body is larger than the route takes' },
  uri_too_long: { status: 414, description: 'the URL or a path parameter is too long' },
  headers_too_large: { status: 431, description: 'the request line and headers are larger than ordo reads' },
  request_timeout: { status: 408, description: 'the request did not arrive in time' },
  unsupported_media_type: { status: 415, description: 'the body’s content type is not one the route reads' },
  internal: { status: 500, description: 'a fault on ordo’s side; it has been logged' },
} as const satisfies Record<string, { status: number; description: string }>;

export const ERROR_STATUS = Object.fromEntries(
  Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]),
) as { [C in ErrorCode]: (typeof ERROR_CODES)[C]['status'] };

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
