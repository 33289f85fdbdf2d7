import { Badge, Button, Group, Modal, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { formatDateTime } from '../../../i18n/format.ts';
import { DataTable } from '../../../ui/DataTable.tsx';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { UserCreateForm, type UserCreateValues } from './UserForms.tsx';
import { useRoleList } from './useRoleList.ts';

type UserSort = 'username' | '-username' | 'fullName' | '-fullName' | 'createdAt' | '-createdAt';
type ActiveFilter = 'all' | 'active' | 'disabled';

/** `/administration/users`: users by name, e-mail or username, active or disabled; a row opens the user. */
export function UsersPage() {
  const { t } = useTranslation('administration');
  const { can } = useSession();
  const navigate = useNavigate();
  const client = useQueryClient();
  const roles = useRoleList();
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [active, setActive] = useState<ActiveFilter>('all');
  const [sort, setSort] = useState<UserSort>('username');
  const [creating, setCreating] = useState(false);
  const { query, pager } = usePagedQuery(['sso', 'users', 'list', q, active, sort], (cursor) =>
    unwrap(
      api.sso.GET('/v1/users', {
        params: {
          query: {
            limit: 50,
            deleted: 'exclude',
            sort,
            ...(q ? { q } : {}),
            ...(active === 'all' ? {} : { active: active === 'active' }),
            ...(cursor ? { cursor } : {}),
          },
        },
      }),
    ),
  );
  const create = useMutation({
    mutationFn: (values: UserCreateValues) => unwrap(api.sso.POST('/v1/users', { body: values })),
    onSuccess: async (user) => {
      await client.invalidateQueries({ queryKey: ['sso', 'users'] });
      notifications.show({ color: 'green', message: t('users.created', { username: user.username }) });
      setCreating(false);
      void navigate(`/administration/users/${user.id}`);
    },
  });

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('users.title')}</Title>
        {can('sso:users:write') && (
          <Button
            onClick={() => {
              create.reset();
              setCreating(true);
            }}
          >
            {t('users.new')}
          </Button>
        )}
      </Group>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setQ(search.trim());
          pager.reset();
        }}
      >
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('users.search')}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            w={{ base: '100%', sm: 320 }}
          />
          <Button type="submit" variant="default">
            {t('common:actions.search')}
          </Button>
          <SegmentedControl
            aria-label={t('users.statusFilter')}
            value={active}
            onChange={(value) => {
              setActive(value as ActiveFilter);
              pager.reset();
            }}
            data={[
              { value: 'all', label: t('users.all') },
              { value: 'active', label: t('users.activeOnly') },
              { value: 'disabled', label: t('users.disabledOnly') },
            ]}
          />
        </Group>
      </form>
      <DataTable
        caption={t('users.caption')}
        rows={query.data?.items}
        rowKey={(row) => row.id}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        empty={t('users.empty')}
        pager={pager}
        sort={sort}
        onSortChange={(next) => {
          setSort(next as UserSort);
          pager.reset();
        }}
        onRowClick={(row) => void navigate(`/administration/users/${row.id}`)}
        columns={[
          { key: 'username', header: t('users.username'), sortKey: 'username' },
          { key: 'fullName', header: t('users.fullName'), sortKey: 'fullName' },
          { key: 'email', header: t('users.email'), render: (row) => row.email ?? '—' },
          {
            key: 'roles',
            header: t('users.roles'),
            render: (row) =>
              row.roles.length === 0 ? (
                '—'
              ) : (
                <Group gap={4}>
                  {row.roles.map((role) => (
                    <Badge miw="max-content" key={role.id} size="sm" variant="light">
                      {role.name}
                    </Badge>
                  ))}
                </Group>
              ),
          },
          {
            key: 'active',
            header: t('users.status'),
            render: (row) => (
              <Badge miw="max-content" color={row.active ? 'green' : 'gray'} variant="light">
                {row.active ? t('users.activeBadge') : t('users.disabledBadge')}
              </Badge>
            ),
          },
          {
            key: 'createdAt',
            header: t('users.createdAt'),
            sortKey: 'createdAt',
            render: (row) => <Text size="sm">{formatDateTime(row.createdAt)}</Text>,
          },
        ]}
      />
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('users.newTitle')} size="lg">
        <UserCreateForm
          roles={roles}
          onSubmit={(values) => create.mutate(values)}
          error={create.error}
          submitting={create.isPending}
        />
      </Modal>
    </Stack>
  );
}
