import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ContractStatus } from './types.ts';

// A table column must not squeeze the status into an ellipsis: the label keeps its full width.
const NO_TRUNCATION = { label: { overflow: 'visible' } };

const COLOR: Record<ContractStatus, string> = {
  draft: 'gray',
  approved: 'cyan',
  signed: 'blue',
  active: 'green',
  closed: 'dark',
  rejected: 'red',
  terminated: 'orange',
  defaulted: 'red',
};

/** A contract's status in the user's language. */
export function ContractStatusBadge({ status }: { status: ContractStatus }) {
  const { t } = useTranslation('contracts');
  return (
    <Badge color={COLOR[status]} variant="light" styles={NO_TRUNCATION}>
      {t(`status.${status}`)}
    </Badge>
  );
}
