import { useId, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { FieldErrors, fieldInvalid } from './ErrorMessage';

/** A labelled input showing the server's `extensions.fields` messages for `name`. */
export function Field({
  label,
  hint,
  error,
  name,
  ...input
}: { label: string; hint?: string; error?: unknown; name: string } & InputHTMLAttributes<HTMLInputElement>) {
  const { t } = useTranslation();
  const id = useId();
  const invalid = fieldInvalid(error, name, t);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={invalid || undefined} aria-describedby={`${id}-hint ${id}-err`} {...input} />
      {hint && (
        <span className="muted" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      <FieldErrors error={error} field={name} id={`${id}-err`} />
    </div>
  );
}
