import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';

/** An error in words, announced to screen readers. Field messages are shown next to their inputs by the forms. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const d = describeError(error, t);
  return (
    <div className="error" role="alert">
      <p>{d.message}</p>
      {d.requestId && (
        <p className="muted">
          {t('errors.requestId')}: <code>{d.requestId}</code>
        </p>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** Messages for one input from `extensions.fields`. */
export function FieldErrors({ error, field, id }: { error: unknown; field: string; id: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const messages = describeError(error, t).fields[field];
  if (!messages?.length) return null;
  return (
    <span className="field-error" id={id} role="alert">
      {messages.join(' ')}
    </span>
  );
}

export function fieldInvalid(error: unknown, field: string, t: Parameters<typeof describeError>[1]): boolean {
  return !!error && !!describeError(error, t).fields[field]?.length;
}
