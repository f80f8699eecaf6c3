/**
 * The one error registry: every error the service answers with is an AppError whose code maps to
 * exactly one HTTP status here. Clients receive `{ error, message }`; a 500 never carries internals.
 */

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** An error with a registered code; its message is safe to show to the client. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra response headers, e.g. WWW-Authenticate for 401. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.headers = headers;
  }
}

export const badRequest = (message: string): AppError => new AppError('bad_request', message);
export const unauthorized = (message: string): AppError =>
  new AppError('unauthorized', message, { 'WWW-Authenticate': 'Basic realm="LearnHQ LRS", charset="UTF-8"' });
export const forbidden = (message: string): AppError => new AppError('forbidden', message);
export const notFound = (message: string): AppError => new AppError('not_found', message);
export const conflict = (message: string): AppError => new AppError('conflict', message);
export const preconditionFailed = (message: string): AppError => new AppError('precondition_failed', message);
export const payloadTooLarge = (message: string): AppError => new AppError('payload_too_large', message);
export const unsupportedMediaType = (message: string): AppError => new AppError('unsupported_media_type', message);

/** True for errors raised on purpose by our code (as opposed to bugs and driver failures). */
export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
