import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/problem.ts';
import { FormProblem as ProblemAlert } from '../../../ui/FormProblem.tsx';
import { errorMessage } from '../../../ui/QueryState.tsx';

/**
 * What a refused billing (or finance) form shows at its top: headed by the problem's title, with the field
 * errors no input shows, else its detail; when the messages beside the fields say it all, a request to
 * correct them.
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
  const problemTitle = error instanceof ApiError ? error.problem.title : null;
  if (hasFieldErrors && other.length === 0) {
    return <ProblemAlert error={error} title={t('form.checkFields')} message={problemTitle} />;
  }
  return (
    <ProblemAlert
      error={error}
      title={problemTitle ?? t('form.failed')}
      message={other.length > 0 ? null : errorMessage(error, t('common:states.unreachable'))}
      other={other}
    />
  );
}
