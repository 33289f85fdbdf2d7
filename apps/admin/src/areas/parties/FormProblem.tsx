import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import { errorMessage } from '../../ui/QueryState.tsx';

/**
 * The top of a form after the API refused it: the problem's detail, and each field error the form has no
 * input for (the others are shown beside their inputs). `shown(field)` says whether the form shows a field.
 */
export function FormProblem({
  error,
  title,
  shown,
}: {
  error: unknown;
  title: string;
  shown: (field: string) => boolean;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  const rest =
    error instanceof ApiError
      ? Object.entries(formFieldErrors(error.problem)).filter(([field]) => !shown(field))
      : [];
  return (
    <Alert color="red" role="alert" title={title}>
      {errorMessage(error, t('states.unreachable'))}
      {rest.length > 0 && (
        <List size="sm" mt="xs">
          {rest.map(([field, message]) => (
            <List.Item key={field}>{field === '_' ? message : `${field}: ${message}`}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
