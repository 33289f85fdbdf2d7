import { Alert, Button, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { paths } from '../../../api/schema/sso.ts';
import { errorMessage } from '../../../ui/QueryState.tsx';

export type LoginThrottleStatus =
  paths['/v1/users/{id}/login-throttle']['get']['responses'][200]['content']['application/json'];

/**
 * Whether sign-ins as a user are held back after failed attempts, from which addresses, and — for those who may
 * change users — a "Lift lock" button, shown only while something is held back (sso ADR 14).
 */
export function LoginThrottle({
  status,
  canWrite,
  onLift,
  lifting = false,
  error,
}: {
  status: LoginThrottleStatus;
  canWrite: boolean;
  onLift: () => void;
  lifting?: boolean;
  error?: unknown;
}) {
  const { t } = useTranslation('administration');
  const held = status.addresses.filter((entry) => entry.retryAfterSeconds > 0);
  if (!status.throttled) return <Text size="sm">{t('users.throttle.none')}</Text>;
  return (
    <Stack gap="sm">
      <Text size="sm">{t('users.throttle.throttled', { failures: status.failures })}</Text>
      {status.ceilingReached && (
        <Text size="sm">{t('users.throttle.ceiling', { ceiling: status.ceiling })}</Text>
      )}
      <Table verticalSpacing="xs" maw={640}>
        <Table.Caption>{t('users.throttle.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('users.throttle.address')}</Table.Th>
            <Table.Th ta="right">{t('users.throttle.failures')}</Table.Th>
            <Table.Th ta="right">{t('users.throttle.waits')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {held.map((entry) => (
            <Table.Tr key={entry.address}>
              <Table.Td>{entry.address}</Table.Td>
              <Table.Td ta="right">{entry.failures}</Table.Td>
              <Table.Td ta="right">
                {t('users.throttle.seconds', { count: entry.retryAfterSeconds })}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {error !== undefined && error !== null && (
        <Alert color="red" role="alert">
          {errorMessage(error, t('common:states.unreachable'))}
        </Alert>
      )}
      {canWrite && (
        <div>
          <Button variant="light" loading={lifting} onClick={onLift}>
            {t('users.throttle.lift')}
          </Button>
        </div>
      )}
    </Stack>
  );
}
