import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError, formFieldErrors } from '../api/problem.ts';
import { errorMessage } from './QueryState.tsx';

/**
 * The API's field errors split for a form: `fields` maps each name the API uses to the form's field
 * (`amount.amount` → `amount`), or says which names the form shows as they are. The messages no field shows
 * come back as lines for the top of the form: `name: message`, or the message alone when it is about the
 * whole request.
 */
export function splitFieldErrors(
  error: unknown,
  fields: Record<string, string> | ((name: string) => boolean),
): { fieldErrors: Record<string, string>; other: string[] } {
  const fieldErrors: Record<string, string> = {};
  const other: string[] = [];
  if (!(error instanceof ApiError)) return { fieldErrors, other };
  for (const [name, message] of Object.entries(formFieldErrors(error.problem))) {
    const field = typeof fields === 'function' ? (fields(name) ? name : undefined) : fields[name];
    if (field) fieldErrors[field] ??= message;
    else other.push(name === '_' ? message : `${name}: ${message}`);
  }
  return { fieldErrors, other };
}

/**
 * The top of a form after the API refused it: `title`, what went wrong (`message`; by default the problem's
 * detail, or that the server could not be reached; null for none), then `other`, the messages no field of
 * the form shows. Nothing when there is no error.
 */
export function FormProblem({
  error,
  title,
  message,
  other = [],
}: {
  error: unknown;
  title: string;
  message?: string | null;
  other?: readonly string[];
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const shown = message === undefined ? errorMessage(error, t('states.unreachable')) : message;
  return (
    <Alert color="red" role="alert" title={title}>
      {shown}
      {other.length > 0 && (
        <List size="sm" {...(shown ? { mt: 'xs' } : {})}>
          {other.map((line, index) => (
            <List.Item key={index}>{line}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
