import { Anchor, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { HistoryTab } from '../../../ui/HistoryTab.tsx';
import { ErrorState, LoadingState, QueryState } from '../../../ui/QueryState.tsx';
import { ifMatch } from '../shared/forms.ts';
import { usePermissionCatalogue } from '../shared/usePermissionCatalogue.ts';
import { RoleEditor, type RoleValues } from './RoleEditor.tsx';

function BackToRoles() {
  const { t } = useTranslation('administration');
  return (
    <Anchor component={Link} to="/administration/roles" size="sm">
      {t('roles.back')}
    </Anchor>
  );
}

/** `/administration/roles/new`: a new role; on success, its page. */
export function RoleCreatePage() {
  const { t } = useTranslation('administration');
  const navigate = useNavigate();
  const client = useQueryClient();
  const catalogue = usePermissionCatalogue();
  const create = useMutation({
    mutationFn: (values: RoleValues) => unwrap(api.sso.POST('/v1/roles', { body: values })),
    onSuccess: async (role) => {
      await client.invalidateQueries({ queryKey: ['sso', 'roles'] });
      notifications.show({ color: 'green', message: t('roles.created', { name: role.name }) });
      void navigate(`/administration/roles/${role.id}`, { replace: true });
    },
  });
  return (
    <Stack>
      <BackToRoles />
      <Title order={2}>{t('roles.newTitle')}</Title>
      {catalogue.isPending ? (
        <LoadingState />
      ) : catalogue.isError ? (
        <ErrorState error={catalogue.error} onRetry={() => void catalogue.refetch()} />
      ) : (
        <RoleEditor
          catalogue={catalogue.data}
          onSubmit={(values) => create.mutate(values)}
          error={create.error}
          submitting={create.isPending}
        />
      )}
    </Stack>
  );
}

/** `/administration/roles/:id`: a role, changeable with `sso:roles:write` unless it is built in. */
export function RoleEditPage() {
  const { t } = useTranslation('administration');
  const { id = '' } = useParams();
  const { can } = useSession();
  const client = useQueryClient();
  const catalogue = usePermissionCatalogue();
  const role = useQuery({
    queryKey: ['sso', 'roles', 'one', id],
    queryFn: () =>
      unwrap(api.sso.GET('/v1/roles/{id}', { params: { path: { id }, query: { includeDeleted: false } } })),
  });
  const save = useMutation({
    mutationFn: (values: RoleValues) =>
      unwrap(
        api.sso.PATCH('/v1/roles/{id}', {
          params: { path: { id }, header: ifMatch(role.data?.version ?? 0) },
          body: values,
        }),
      ),
    onSuccess: async (saved) => {
      client.setQueryData(['sso', 'roles', 'one', id], saved);
      await client.invalidateQueries({ queryKey: ['sso', 'roles', 'list'] });
      notifications.show({ color: 'green', message: t('roles.saved', { name: saved.name }) });
    },
  });

  return (
    <Stack>
      <BackToRoles />
      <QueryState query={role} isEmpty={() => false}>
        {(data) => (
          <Stack>
            <Title order={2}>{t('roles.editTitle', { name: data.name })}</Title>
            {catalogue.isPending ? (
              <LoadingState />
            ) : catalogue.isError ? (
              <ErrorState error={catalogue.error} onRetry={() => void catalogue.refetch()} />
            ) : (
              <RoleEditor
                // A saved version starts the form again from what the API answered.
                key={data.version}
                initial={{ name: data.name, description: data.description, permissions: data.permissions }}
                catalogue={catalogue.data}
                onSubmit={(values) => save.mutate(values)}
                error={save.error}
                submitting={save.isPending}
                readOnly={data.builtIn || !can('sso:roles:write')}
                readOnlyReason={data.builtIn ? t('roles.builtIn') : t('roles.noWrite')}
              />
            )}
            <Title order={3}>{t('history')}</Title>
            <HistoryTab entityType="role" entityId={data.id} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
