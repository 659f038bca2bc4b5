/** The public error codes (API.md); exposed to clients as the `ErrorCode` enum. */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  RATE_LIMITED = 'RATE_LIMITED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

export type FieldErrors = Record<string, string[]>;

export interface AppErrorOptions {
  /** SCREAMING_SNAKE word for CONFLICT (and any code a client may branch on). */
  reason?: string;
  fields?: FieldErrors;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** A domain error whose message is safe to show; mapped to a GraphQL error at the edge. */
export class AppError extends Error {
  readonly reason?: string;
  readonly fields?: FieldErrors;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.reason = options.reason;
    this.fields = options.fields;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const unauthenticated = (message = 'You must be signed in.') => new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'You are not allowed to do that.') => new AppError(ErrorCode.FORBIDDEN, message);
export const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `${what} was not found.`);
export const conflict = (reason: string, message: string) => new AppError(ErrorCode.CONFLICT, message, { reason });
export const badInput = (fields: FieldErrors, message = 'The input is not valid.') =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, { fields });
export const rateLimited = (retryAfterSeconds: number, message = 'Too many requests; try again later.') =>
  new AppError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) });
export const unavailable = (message: string, cause?: unknown) => new AppError(ErrorCode.SERVICE_UNAVAILABLE, message, { cause });
