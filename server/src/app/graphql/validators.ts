import { registerDecorator, type ValidationArguments } from 'class-validator';

/** Why a value breaks a rule, or null when it keeps it. */
export type Check = (value: unknown) => string | null;

/**
 * A class-validator rule written as one function that names the problem: one message per field, worded by the rule.
 * type-graphql runs it on argument classes (and skips null and omitted fields); the error formatter turns a failure
 * into BAD_USER_INPUT with `extensions.fields`. `name` must be unique among the rules of one field.
 */
export function Rule(name: string, check: Check): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => check(value) === null,
        defaultMessage: (args?: ValidationArguments) => check(args?.value) ?? 'is not valid',
      },
    });
}

export interface TextLengthOptions {
  /** Count the text without surrounding white space (what the services store); default true. */
  trim?: boolean;
  /** `utf16`: JavaScript's `length` (default); `codePoints`: Unicode code points, so an emoji is one. */
  unit?: 'utf16' | 'codePoints';
}

/** Text of `min` to `max` characters (after trimming unless `trim: false`); "must not be empty" when min ≥ 1 and nothing is left. */
export function TextLength(min: number, max: number, options: TextLengthOptions = {}): PropertyDecorator {
  const { trim = true, unit = 'utf16' } = options;
  return Rule('textLength', (value) => {
    if (typeof value !== 'string') return 'must be text';
    const text = trim ? value.trim() : value;
    const length = unit === 'codePoints' ? [...text].length : text.length;
    if (length === 0 && min > 0) return 'must not be empty';
    if (length < min) return `must be at least ${min} characters`;
    if (length > max) return `must be at most ${max} characters`;
    return null;
  });
}

/** Text matching `pattern` once trimmed. */
export function TrimmedMatches(pattern: RegExp, message: string): PropertyDecorator {
  return Rule('trimmedMatches', (value) => (typeof value === 'string' && pattern.test(value.trim()) ? null : message));
}
