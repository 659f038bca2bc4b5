import { useTranslation } from 'react-i18next';
import { describeError, type DescribeOptions } from '../lib/errors';

/**
 * An error in words, announced to screen readers. Field messages of inputs on screen (`shownFields`) are shown beside
 * them by the forms; any other field's message is listed here. Retry only when trying again can help.
 */
export function ErrorMessage({
  error,
  onRetry,
  shownFields = [],
  ...options
}: { error: unknown; onRetry?: () => void; shownFields?: string[] } & DescribeOptions) {
  const { t } = useTranslation();
  if (!error) return null;
  const d = describeError(error, t, options);
  const others = Object.entries(d.fields).filter(([name]) => !shownFields.includes(name));
  return (
    <div className={d.retryable ? 'error' : 'notice'} role="alert">
      <p>{d.message}</p>
      {others.length > 0 && (
        <ul>
          {others.map(([name, messages]) => (
            <li key={name}>
              {t(`fields.${name.split('.').pop()}`, { defaultValue: '' }) && `${t(`fields.${name.split('.').pop()}`)}: `}
              {messages.join(' ')}
            </li>
          ))}
        </ul>
      )}
      {d.requestId && (
        <p className="muted small">
          {t('errors.requestId')}: <code>{d.requestId}</code>
        </p>
      )}
      {onRetry && d.retryable && (
        <button type="button" className="secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
