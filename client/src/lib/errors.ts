// Every error in the reader's language: the server's machine-readable parts (code, reason, field rules) are looked up
// in the catalogues; the server's own sentences are never shown, so English never leaks into the Korean screens.
import { CombinedGraphQLErrors, ServerError } from '@apollo/client';
import type { TFunction } from 'i18next';

export const RULES = ['REQUIRED', 'TOO_SHORT', 'TOO_LONG', 'OUT_OF_RANGE', 'INVALID_FORMAT', 'NOT_ALLOWED', 'MISMATCH'] as const;
export type Rule = (typeof RULES)[number];
export interface FieldRule {
  rule: Rule;
  min?: number;
  max?: number;
}
export type FieldRules = Record<string, FieldRule[]>;

/** The features a server may have switched off (SERVICE_UNAVAILABLE, reason NOT_CONFIGURED). */
export type Feature = 'weather' | 'ai' | 'kakao' | 'github';

/** An error the client found itself (no location, a file too large): a catalogue key, never free text. */
export class ClientError extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, unknown> = {},
    readonly retryable = true,
  ) {
    super(key);
    this.name = 'ClientError';
  }
}

export interface Described {
  /** The public code (API.md), or NETWORK / UNKNOWN / CLIENT. */
  code: string;
  reason?: string;
  /** A sentence in the reader's language, from the catalogue. */
  message: string;
  /** Field messages in the reader's language, by input name. */
  fields: Record<string, string[]>;
  /** False when trying again cannot help (the feature is switched off, the input is wrong, no permission). */
  retryable: boolean;
  requestId?: string;
}

interface RawError {
  message?: string;
  extensions?: Record<string, unknown>;
}

function firstGraphQLError(error: unknown): RawError | null {
  if (CombinedGraphQLErrors.is(error)) return (error.errors[0] as RawError) ?? null;
  if (error && typeof error === 'object' && Array.isArray((error as { errors?: unknown }).errors)) {
    return ((error as { errors: RawError[] }).errors[0] as RawError) ?? null;
  }
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: RawError[]; error?: { code?: string } };
      if (body.errors?.[0]) return body.errors[0];
      if (body.error?.code) return { extensions: { code: body.error.code } };
    } catch {
      /* not JSON */
    }
  }
  return null;
}

const isRule = (r: unknown): r is FieldRule => !!r && typeof r === 'object' && RULES.includes((r as FieldRule).rule);

/** The message of one rule for one field: a field's own wording when the catalogue has one, else the rule's. */
export function ruleMessage(field: string, rule: FieldRule, t: TFunction): string {
  const base = field.split('.').pop()!;
  const own = t(`errors.fieldRules.${base}.${rule.rule}`, { min: rule.min, max: rule.max, defaultValue: '' });
  if (own) return own;
  const key =
    rule.rule === 'OUT_OF_RANGE' && rule.min === undefined
      ? 'OUT_OF_RANGE_MAX'
      : rule.rule === 'OUT_OF_RANGE' && rule.max === undefined
        ? 'OUT_OF_RANGE_MIN'
        : rule.rule;
  return t(`errors.rules.${key}`, { min: rule.min, max: rule.max });
}

export function fieldMessages(rules: FieldRules, t: TFunction): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [field, list] of Object.entries(rules)) if (list.length) out[field] = list.map((r) => ruleMessage(field, r, t));
  return out;
}

/** `extensions.fields` / `fieldRules` → messages per field; a field without rules gets a sentence for "check this". */
function describeFields(ext: Record<string, unknown>, t: TFunction): Record<string, string[]> {
  const rules = (ext.fieldRules && typeof ext.fieldRules === 'object' ? ext.fieldRules : {}) as Record<string, unknown>;
  const fields = (ext.fields && typeof ext.fields === 'object' ? ext.fields : {}) as Record<string, unknown>;
  const out: Record<string, string[]> = {};
  for (const name of new Set([...Object.keys(rules), ...Object.keys(fields)])) {
    const list = Array.isArray(rules[name]) ? (rules[name] as unknown[]).filter(isRule) : [];
    out[name] = list.length ? list.map((r) => ruleMessage(name, r, t)) : [t('errors.rules.INVALID')];
  }
  return out;
}

function serviceUnavailable(reason: string | undefined, feature: Feature | undefined, t: TFunction) {
  if (reason === 'NOT_CONFIGURED') {
    return { message: t(feature ? `errors.notConfigured.${feature}` : 'errors.notConfigured.generic'), retryable: false };
  }
  if (reason === 'UPSTREAM_UNAVAILABLE') {
    return { message: t(feature ? `errors.upstream.${feature}` : 'errors.upstream.generic'), retryable: true };
  }
  if (reason === 'DEPENDENCY_DOWN') return { message: t('errors.dependencyDown'), retryable: true };
  return { message: t('errors.codes.SERVICE_UNAVAILABLE'), retryable: true };
}

export interface DescribeOptions {
  /** Which feature the failed call belongs to, for "switched off" / "not answering" wording. */
  feature?: Feature;
  /** Sentences for codes that mean something specific here (UNAUTHENTICATED on a log-in form: wrong password). */
  overrides?: Partial<Record<string, string>>;
}

const NOT_RETRYABLE = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'UNAUTHENTICATED']);

/** Turns any Apollo, network or client error into words of the catalogue. */
export function describeError(error: unknown, t: TFunction, options: DescribeOptions = {}): Described {
  if (error instanceof ClientError) {
    return { code: 'CLIENT', message: t(error.key, error.params), fields: {}, retryable: error.retryable };
  }
  const gql = firstGraphQLError(error);
  if (gql) {
    const ext = gql.extensions ?? {};
    const code = typeof ext.code === 'string' ? ext.code : 'UNKNOWN';
    const reason = typeof ext.reason === 'string' ? ext.reason : undefined;
    const requestId = typeof ext.requestId === 'string' ? ext.requestId : undefined;
    const base = { code, reason, requestId, fields: {} as Record<string, string[]> };
    const override = options.overrides?.[code];
    if (override) return { ...base, message: override, retryable: !NOT_RETRYABLE.has(code) };
    switch (code) {
      case 'BAD_USER_INPUT': {
        const fields = describeFields(ext, t);
        return {
          ...base,
          fields,
          message: t(Object.keys(fields).length ? 'errors.checkFields' : 'errors.codes.BAD_USER_INPUT'),
          retryable: false,
        };
      }
      case 'CONFLICT':
      case 'RATE_LIMITED': {
        const own = reason ? t(`errors.reasons.${reason}`, { defaultValue: '' }) : '';
        if (own) return { ...base, message: own, retryable: code === 'RATE_LIMITED' };
        const seconds = Number(ext.retryAfterSeconds ?? 60);
        return { ...base, message: t(`errors.codes.${code}`, { seconds }), retryable: code === 'RATE_LIMITED' };
      }
      case 'SERVICE_UNAVAILABLE':
        return { ...base, ...serviceUnavailable(reason, options.feature, t) };
      case 'UNAUTHENTICATED':
      case 'FORBIDDEN':
      case 'NOT_FOUND':
      case 'INTERNAL_SERVER_ERROR':
        return { ...base, message: t(`errors.codes.${code}`), retryable: !NOT_RETRYABLE.has(code) };
      case 'GRAPHQL_VALIDATION_FAILED':
        // The server does not know this operation yet (a feature whose API has not landed).
        return { ...base, message: t('common.comingSoon'), retryable: false };
      default:
        return { ...base, message: t('errors.codes.UNKNOWN'), retryable: true };
    }
  }
  if (ServerError.is(error)) {
    if (error.statusCode === 503) return { code: 'SERVICE_UNAVAILABLE', message: t('errors.dependencyDown'), fields: {}, retryable: true };
    if (error.statusCode === 413) return { code: 'TOO_LARGE', message: t('errors.tooLarge'), fields: {}, retryable: false };
    return { code: 'HTTP', message: t('errors.codes.UNKNOWN'), fields: {}, retryable: true };
  }
  const text = error instanceof Error ? error.message : String(error);
  if (/fetch|network|socket|connect|load failed/i.test(text))
    return { code: 'NETWORK', message: t('errors.network'), fields: {}, retryable: true };
  return { code: 'UNKNOWN', message: t('errors.codes.UNKNOWN'), fields: {}, retryable: true };
}
