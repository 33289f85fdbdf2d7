import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, Record<string, string>> = {
  runStatus: { queued: 'gray', running: 'blue', completed: 'green', failed: 'red' },
  outcome: {
    created: 'green',
    updated: 'blue',
    unchanged: 'gray',
    conflict: 'orange',
    duplicate: 'grape',
    error: 'red',
  },
  outboundStatus: {
    updated: 'green',
    unchanged: 'gray',
    skipped: 'gray',
    superseded: 'gray',
    refused: 'red',
    failed: 'orange',
  },
  exportStatus: { pending: 'gray', sent: 'blue', acknowledged: 'green', refused: 'red' },
};

/** A status or outcome as a coloured word in the user's language (`runStatus.running`, `outcome.conflict`…). */
export function StatusBadge({
  kind,
  status,
}: {
  kind: 'runStatus' | 'outcome' | 'outboundStatus' | 'exportStatus';
  status: string;
}) {
  const { t } = useTranslation('integrations');
  return (
    <Badge variant="light" color={COLORS[kind]?.[status] ?? 'gray'} miw="max-content" tt="none">
      {t(`${kind}.${status}`, { defaultValue: status })}
    </Badge>
  );
}
