import { Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoleRef } from './UserForms.tsx';

/** The roles a user holds, each revocable, and a role to grant; actions only with `canWrite`. */
export function UserRoles({
  held,
  roles,
  canWrite,
  onGrant,
  onRevoke,
  busy = false,
}: {
  held: readonly RoleRef[];
  /** Every role, for granting; undefined when the reader may not list roles. */
  roles: readonly RoleRef[] | undefined;
  canWrite: boolean;
  onGrant: (roleId: string) => void;
  onRevoke: (role: RoleRef) => void;
  busy?: boolean;
}) {
  const { t } = useTranslation('administration');
  const [roleId, setRoleId] = useState<string | null>(null);
  const grantable = (roles ?? []).filter((role) => !held.some((h) => h.id === role.id));

  return (
    <Stack gap="sm">
      {held.length === 0 ? (
        <Text c="dimmed">{t('users.noRoles')}</Text>
      ) : (
        <Table verticalSpacing="xs" maw={640}>
          <Table.Caption>{t('users.rolesCaption')}</Table.Caption>
          <Table.Tbody>
            {held.map((role) => (
              <Table.Tr key={role.id}>
                <Table.Td>
                  <Badge variant="light">{role.name}</Badge>
                </Table.Td>
                <Table.Td ta="right">
                  {canWrite && (
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      disabled={busy}
                      aria-label={t('users.revokeRole', { role: role.name })}
                      onClick={() => onRevoke(role)}
                    >
                      {t('users.revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {canWrite && roles && (
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t('users.roleToGrant')}
            data={grantable.map((role) => ({ value: role.id, label: role.name }))}
            value={roleId}
            onChange={setRoleId}
            searchable
            w={{ base: '100%', sm: 280 }}
          />
          <Button
            disabled={roleId === null || busy}
            onClick={() => {
              if (roleId !== null) onGrant(roleId);
              setRoleId(null);
            }}
          >
            {t('users.grant')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
