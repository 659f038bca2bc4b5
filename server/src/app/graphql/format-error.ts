import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { dependencyFailure, type DependencyName } from '../dependencies/failures.js';
import { AppError, ErrorCode, type FieldErrors } from '../errors.js';
import type { Logger } from '../logger.js';

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

export const DEPENDENCY_DOWN_MESSAGE = 'A service this request needs is unavailable; try again shortly.';

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
  // MySQL or Redis unreachable (connection refused, reset, closed, timed out): the caller may retry, nothing to mask.
  if (dependencyFailure(error)) {
    return { code: ErrorCode.SERVICE_UNAVAILABLE, message: DEPENDENCY_DOWN_MESSAGE, extensions: { reason: 'DEPENDENCY_DOWN' } };
  }
  return undefined;
}

export const isMasked = (formatted: GraphQLFormattedError) => formatted.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR;

/**
 * Formats every error leaving the server (HTTP and WebSocket): known codes pass, everything else is masked.
 * `requestId` names the request in the message; over HTTP the error plugin fills it in and logs the original.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, requestId?: string): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const mapped = toPublicError(original);
  if (mapped) return { ...formatted, message: mapped.message, extensions: { code: mapped.code, ...mapped.extensions } };

  const code = String(formatted.extensions?.code ?? '');
  // GraphQL's own errors (parse, validation, auth) carry no or another GraphQLError as cause; anything else is unknown.
  if (original instanceof GraphQLError && (!original.originalError || original.originalError instanceof GraphQLError)) {
    const publicCode = PASS_THROUGH.has(code) ? code : CALLER_FAULTS[code];
    if (publicCode)
      return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: publicCode } };
  }
  return maskedError(formatted, requestId);
}

export function maskedError(formatted: GraphQLFormattedError, requestId?: string): GraphQLFormattedError {
  return {
    message: requestId ? `Internal server error (request ${requestId}).` : 'Internal server error.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
  };
}

/**
 * Logs unknown errors with the request id and puts that id into the masked answer. A store being unreachable is not
 * logged per request: `onDependencyFailure` hands it to the dependency monitor, which logs the outage once.
 */
export function errorPlugin(
  logger: Logger,
  onDependencyFailure: (name: DependencyName | 'unknown') => void = () => undefined,
): ApolloServerPlugin<{ requestId: string }> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            const dependency = dependencyFailure(original);
            if (dependency && !(original instanceof AppError)) {
              onDependencyFailure(dependency);
              logger.debug({ requestId: contextValue.requestId, dependency, reason: (original as Error).message }, 'dependency failure');
            } else if (isMasked(formatError(error.toJSON(), error))) {
              logger.error({ err: original, requestId: contextValue.requestId, path: error.path }, 'unexpected error');
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const result = response.body.singleResult;
          result.errors = result.errors!.map((e) => (isMasked(e) ? maskedError(e, contextValue?.requestId) : e));
        },
      };
    },
  };
}
