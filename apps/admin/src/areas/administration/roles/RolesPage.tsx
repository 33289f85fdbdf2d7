import { Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { DataTable } from '../../../ui/DataTable.tsx';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';

type RoleSort = 'name' | '-name' | 'createdAt' | '-createdAt';

/** `/administration/roles`: every role with its number of permissions; a row opens the role. */
export function RolesPage() {
  const { t } = useTranslation('administration');
  const { can } = useSession();
  const navigate = useNavigate();
  const [sort, setSort] = useState<RoleSort>('name');
  const { query, pager } = usePagedQuery(['sso', 'roles', 'list', sort], (cursor) =>
    unwrap(
      api.sso.GET('/v1/roles', {
        params: { query: { limit: 50, deleted: 'exclude', sort, ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('roles.title')}</Title>
        {can('sso:roles:write') && (
          <Button component={Link} to="/administration/roles/new">
            {t('roles.new')}
          </Button>
        )}
      </Group>
      <DataTable
        caption={t('roles.caption')}
        rows={query.data?.items}
        rowKey={(row) => row.id}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        empty={t('roles.empty')}
        pager={pager}
        sort={sort}
        onSortChange={(next) => {
          setSort(next as RoleSort);
          pager.reset();
        }}
        onRowClick={(row) => void navigate(`/administration/roles/${row.id}`)}
        columns={[
          {
            key: 'name',
            header: t('roles.name'),
            sortKey: 'name',
            render: (row) => (
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" fw={500}>
                  {row.name}
                </Text>
                {row.builtIn && (
                  <Badge miw="max-content" size="sm" variant="light">
                    {t('roles.builtInBadge')}
                  </Badge>
                )}
              </Group>
            ),
          },
          {
            key: 'description',
            header: t('roles.description'),
            render: (row) => (
              <Text size="sm" lineClamp={2}>
                {row.description || '—'}
              </Text>
            ),
          },
          {
            key: 'permissions',
            header: t('roles.permissions'),
            align: 'right',
            render: (row) => row.permissions.length,
          },
          {
            key: 'createdAt',
            header: t('roles.createdAt'),
            sortKey: 'createdAt',
            render: (row) => formatDateTime(row.createdAt),
          },
        ]}
      />
    </Stack>
  );
}
