import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/problem.ts';
import { FormProblem } from '../../../ui/FormProblem.tsx';
import { errorMessage } from '../../../ui/QueryState.tsx';
import { problemForForm } from './forms.ts';

/**
 * The top of a form after the API refused it: what went wrong, and the complaints the form cannot show beside
 * a field of its own (`fields`). Nothing when there is no error.
 */
export function ProblemAlert({ error, fields }: { error: unknown; fields: readonly string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  const title = error instanceof ApiError ? error.problem.title : t('errors.failed', { message: '' });
  const detail = errorMessage(error, t('states.unreachable'));
  return (
    <FormProblem
      error={error}
      title={title}
      message={detail !== title ? detail : null}
      other={problemForForm(error, fields).rest}
    />
  );
}
