import { useId, type InputHTMLAttributes, type TextareaHTMLAttributes } from 'react';

type Common = { label: string; hint?: string; name: string; messages?: string[] };

/** A labelled input with its hint and its messages (client checks or the server's field rules), linked for screen readers. */
export function Field({
  label,
  hint,
  name,
  messages = [],
  multiline,
  ...input
}: Common &
  (({ multiline?: false } & InputHTMLAttributes<HTMLInputElement>) | ({ multiline: true } & TextareaHTMLAttributes<HTMLTextAreaElement>))) {
  const id = useId();
  const invalid = messages.length > 0;
  const describedBy = [hint && `${id}-hint`, invalid && `${id}-err`].filter(Boolean).join(' ') || undefined;
  const shared = { id, name, 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...shared} {...(input as TextareaHTMLAttributes<HTMLTextAreaElement>)} />
      ) : (
        <input {...shared} {...(input as InputHTMLAttributes<HTMLInputElement>)} />
      )}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {invalid && (
        <span className="field-error" id={`${id}-err`}>
          {messages.join(' ')}
        </span>
      )}
    </div>
  );
}
