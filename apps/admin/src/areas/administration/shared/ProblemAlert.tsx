import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/problem.ts';
import { errorMessage } from '../../../ui/QueryState.tsx';
import { problemForForm } from './forms.ts';

/**
 * The top of a form after the API refused it: what went wrong, and the complaints the form cannot show beside
 * a field of its own (`fields`). Nothing when there is no error.
 */
export function ProblemAlert({ error, fields }: { error: unknown; fields: readonly string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  const { rest } = problemForForm(error, fields);
  const title = error instanceof ApiError ? error.problem.title : t('errors.failed', { message: '' });
  const detail = errorMessage(error, t('states.unreachable'));
  return (
    <Alert color="red" role="alert" title={title}>
      {detail !== title && <Text size="sm">{detail}</Text>}
      {rest.length > 0 && (
        <List size="sm" mt="xs">
          {rest.map((message) => (
            <List.Item key={message}>{message}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
