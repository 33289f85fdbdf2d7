import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { KycStatus } from './types.ts';

const KYC_COLOR: Record<KycStatus, string> = {
  pending: 'yellow',
  verified: 'green',
  rejected: 'red',
  expired: 'gray',
};

// A badge keeps its whole label (a narrow table column would otherwise cut it to "VERIF…").
export function KycBadge({ status }: { status: KycStatus }) {
  const { t } = useTranslation('parties');
  return (
    <Badge variant="light" color={KYC_COLOR[status]} miw="max-content">
      {t(`kyc.${status}`)}
    </Badge>
  );
}

export function DeletedBadge() {
  const { t } = useTranslation('parties');
  return (
    <Badge variant="outline" color="red" miw="max-content">
      {t('card.deletedBadge')}
    </Badge>
  );
}
