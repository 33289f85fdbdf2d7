import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AssetStatus } from './types.ts';

// A table column must not squeeze the status into an ellipsis: the label keeps its full width.
const NO_TRUNCATION = { label: { overflow: 'visible' } };

const COLOR: Record<AssetStatus, string> = {
  available: 'green',
  reserved: 'yellow',
  leased: 'blue',
  returned: 'grape',
  sold: 'dark',
};

/** An asset's status in the user's language. */
export function AssetStatusBadge({ status }: { status: AssetStatus }) {
  const { t } = useTranslation('assets');
  return (
    <Badge color={COLOR[status]} variant="light" styles={NO_TRUNCATION}>
      {t(`status.${status}`)}
    </Badge>
  );
}
