import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, fieldMessages, type DescribeOptions, type FieldRules } from './errors';
import { check } from './validate';

type Form = Parameters<typeof check>[0];

/**
 * A form's field messages: the client's own checks before sending, then the server's `fieldRules` for what only it
 * can know. `validate` returns false (and shows why) when the form must not be sent yet.
 */
export function useFormErrors(form: Form, serverError: unknown, options: DescribeOptions = {}) {
  const { t } = useTranslation();
  const [problems, setProblems] = useState<FieldRules>({});
  const local = fieldMessages(problems, t);
  const server = serverError ? describeError(serverError, t, options).fields : {};
  return {
    messages: (name: string): string[] => local[name] ?? server[name] ?? [],
    validate: (values: Record<string, string>): boolean => {
      const found = check(form, values);
      setProblems(found);
      return Object.keys(found).length === 0;
    },
    clear: (name: string) => setProblems((p) => (p[name] ? Object.fromEntries(Object.entries(p).filter(([k]) => k !== name)) : p)),
  };
}
