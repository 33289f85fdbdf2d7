import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError, formFieldErrors } from '../../../api/problem.ts';
import { errorMessage } from '../../../ui/QueryState.tsx';

/**
 * The API's field errors renamed to a form's fields (`amount.amount` → `amount`), and the messages the form has
 * no field for. `fields` maps each name the API uses to the form's field.
 */
export function splitFieldErrors(
  error: unknown,
  fields: Record<string, string>,
): { fieldErrors: Record<string, string>; other: string[] } {
  const fieldErrors: Record<string, string> = {};
  const other: string[] = [];
  if (!(error instanceof ApiError)) return { fieldErrors, other };
  for (const [name, message] of Object.entries(formFieldErrors(error.problem))) {
    const field = fields[name];
    if (field) fieldErrors[field] ??= message;
    else other.push(name === '_' ? message : `${name}: ${message}`);
  }
  return { fieldErrors, other };
}

/**
 * What a refused form submission shows at its top: the problem's detail when no field explains it, and the
 * field errors no input shows.
 */
export function FormProblem({
  error,
  other,
  hasFieldErrors,
}: {
  error: unknown;
  other: string[];
  hasFieldErrors: boolean;
}) {
  const { t } = useTranslation('billing');
  if (!error) return null;
  if (hasFieldErrors && other.length === 0) {
    return (
      <Alert color="red" role="alert" title={t('form.checkFields')}>
        {error instanceof ApiError ? error.problem.title : null}
      </Alert>
    );
  }
  return (
    <Alert
      color="red"
      role="alert"
      title={error instanceof ApiError ? error.problem.title : t('form.failed')}
    >
      {other.length > 0 ? (
        <List size="sm">
          {other.map((message) => (
            <List.Item key={message}>{message}</List.Item>
          ))}
        </List>
      ) : (
        errorMessage(error, t('common:states.unreachable'))
      )}
    </Alert>
  );
}
