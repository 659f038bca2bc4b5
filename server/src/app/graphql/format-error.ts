import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { AppError, ErrorCode, type FieldErrors } from '../errors.js';
import type { Logger } from '../logger.js';
import { currentRequestId } from '../request-scope.js';

const PASS_THROUGH = new Set<string>(Object.values(ErrorCode));
// Errors GraphQL itself raises for a malformed request are the caller's fault.
const CALLER_FAULTS: Record<string, ErrorCode> = {
  GRAPHQL_PARSE_FAILED: ErrorCode.BAD_USER_INPUT,
  GRAPHQL_VALIDATION_FAILED: ErrorCode.BAD_USER_INPUT,
  BAD_REQUEST: ErrorCode.BAD_USER_INPUT,
  OPERATION_RESOLUTION_FAILURE: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_FOUND: ErrorCode.BAD_USER_INPUT,
  PERSISTED_QUERY_NOT_SUPPORTED: ErrorCode.BAD_USER_INPUT,
  UNAUTHORIZED: ErrorCode.FORBIDDEN,
};

function flattenValidation(errors: ValidationError[], prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) out[path] = Object.values(e.constraints);
    if (e.children?.length) Object.assign(out, flattenValidation(e.children, path));
  }
  return out;
}

/** Maps a thrown value to the public shape; `undefined` means "unknown, mask it". */
export function toPublicError(error: unknown): { code: ErrorCode; message: string; extensions?: Record<string, unknown> } | undefined {
  if (error instanceof AppError) {
    const extensions: Record<string, unknown> = {};
    if (error.reason) extensions.reason = error.reason;
    if (error.fields) extensions.fields = error.fields;
    if (error.retryAfterSeconds !== undefined) extensions.retryAfterSeconds = error.retryAfterSeconds;
    return { code: error.code, message: error.message, extensions };
  }
  if (error instanceof ArgumentValidationError) {
    const fields = flattenValidation(error.extensions.validationErrors as unknown as ValidationError[]);
    // Input objects nest their fields under the argument name (`input.email`); clients want `email`.
    const flat: FieldErrors = {};
    for (const [k, v] of Object.entries(fields)) flat[k.replace(/^[^.]+\./, '')] = v;
    return { code: ErrorCode.BAD_USER_INPUT, message: 'The input is not valid.', extensions: { fields: flat } };
  }
  return undefined;
}

/** Formats every error leaving the server (HTTP and WebSocket); unknown ones are logged and masked. */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const mapped = toPublicError(original);
    if (mapped) return { ...formatted, message: mapped.message, extensions: { code: mapped.code, ...mapped.extensions } };

    const code = String(formatted.extensions?.code ?? '');
    // GraphQL's own errors (parse, validation, auth) carry no or another GraphQLError as cause; anything else is unknown.
    if (original instanceof GraphQLError && (!original.originalError || original.originalError instanceof GraphQLError)) {
      const publicCode = PASS_THROUGH.has(code) ? code : CALLER_FAULTS[code];
      if (publicCode) return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: publicCode } };
    }

    const requestId = currentRequestId() ?? crypto.randomUUID();
    logger.error({ err: original, requestId, path: formatted.path }, 'unexpected error');
    return {
      message: `Internal server error (request ${requestId}).`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId },
    };
  };
}
