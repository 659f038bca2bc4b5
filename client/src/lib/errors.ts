import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import type { TFunction } from 'i18next';

export interface Described {
  code: string;
  /** A sentence for the user, in their language, plus the server's own words when they add something. */
  message: string;
  /** BAD_USER_INPUT: messages per input field (`extensions.fields`). */
  fields: Record<string, string[]>;
  requestId?: string;
}

interface RawError {
  message: string;
  extensions?: Record<string, unknown>;
}

function first(error: unknown): RawError | null {
  if (CombinedGraphQLErrors.is(error)) return (error.errors[0] as RawError) ?? null;
  if (error && typeof error === 'object' && Array.isArray((error as { errors?: unknown }).errors)) {
    return ((error as { errors: RawError[] }).errors[0] as RawError) ?? null;
  }
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: RawError[] };
      if (body.errors?.[0]) return body.errors[0];
    } catch {
      /* not JSON */
    }
  }
  return null;
}

/** Turns any Apollo/network error into words. */
export function describeError(error: unknown, t: TFunction): Described {
  const gql = first(error);
  if (gql) {
    const ext = gql.extensions ?? {};
    const code = typeof ext.code === 'string' ? ext.code : 'UNKNOWN';
    const reason = typeof ext.reason === 'string' ? ext.reason : undefined;
    const fields = (ext.fields && typeof ext.fields === 'object' ? ext.fields : {}) as Record<string, string[]>;
    let message: string;
    if (code === 'GRAPHQL_VALIDATION_FAILED' || /^Cannot query field /.test(gql.message)) {
      // The server does not know this operation yet (a feature whose API has not landed): say so plainly.
      return { code, message: `${t('common.comingSoon')} (${gql.message})`, fields: {} };
    }
    if (reason && t(`errors.reasons.${reason}`, { defaultValue: '' })) message = t(`errors.reasons.${reason}`);
    else if (code === 'RATE_LIMITED') message = t('errors.RATE_LIMITED', { seconds: Number(ext.retryAfterSeconds ?? 60) });
    else message = t(`errors.${code}`, { defaultValue: t('errors.UNKNOWN') });
    // The server's sentence is specific ("Wrong email or password."); show it beside the generic one.
    if (gql.message && code !== 'INTERNAL_SERVER_ERROR' && !message.includes(gql.message)) message = `${message} (${gql.message})`;
    const requestId = typeof ext.requestId === 'string' ? ext.requestId : undefined;
    return { code, message, fields, requestId };
  }
  if (ServerError.is(error)) return { code: 'HTTP', message: `${t('errors.UNKNOWN')} (HTTP ${error.statusCode})`, fields: {} };
  const text = error instanceof Error ? error.message : String(error);
  if (/fetch|network|socket|connect/i.test(text)) return { code: 'NETWORK', message: t('errors.NETWORK'), fields: {} };
  return { code: 'UNKNOWN', message: `${t('errors.UNKNOWN')} (${text})`, fields: {} };
}
