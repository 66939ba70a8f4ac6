/**
 * The closed set of application errors. Each has a stable snake_case `code` (clients match on
 * it), an HTTP status and a title; `platform/http.ts` turns them into application/problem+json.
 */
export const ERROR_CATALOGUE = {
  bad_request: { status: 400, title: 'Bad request' },
  malformed_json: { status: 400, title: 'Malformed JSON body' },
  validation_failed: { status: 400, title: 'Validation failed' },
  invalid_cursor: { status: 400, title: 'Invalid pagination cursor' },
  unauthenticated: { status: 401, title: 'Sign-in required' },
  invalid_credentials: { status: 401, title: 'Sign-in failed' },
  forbidden: { status: 403, title: 'Forbidden' },
  cross_site_request: { status: 403, title: 'Cross-site request refused' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  /** Aggregates only: an upload or request that looks like student-level rows. */
  student_level_data: { status: 400, title: 'Student-level data refused' },
  conflict: { status: 409, title: 'Conflict' },
  /** A state machine (PDSA cycle) refused the move or the edit in its current state. */
  invalid_state: { status: 409, title: 'Not allowed in this state' },
  link_expired: { status: 410, title: 'This link has expired' },
  link_used: { status: 410, title: 'This link was already used' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  precondition_required: { status: 428, title: 'Precondition required' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface FieldError {
  /** JSON pointer into the request, e.g. `/body/name` or `/query/limit`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** Extra response headers, e.g. Retry-After on 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.status = ERROR_CATALOGUE[code].status;
    this.title = ERROR_CATALOGUE[code].title;
  }
}

export const notFound = (what: string, id: string) =>
  new AppError('not_found', `${what} ${id} does not exist or you cannot see it.`);

export const validationFailed = (errors: FieldError[]) =>
  new AppError(
    'validation_failed',
    errors.length === 1
      ? `${errors[0]?.path}: ${errors[0]?.message}`
      : `${errors.length} fields are invalid.`,
    errors,
  );
