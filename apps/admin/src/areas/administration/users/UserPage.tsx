import { Alert, Anchor, Badge, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { HistoryTab } from '../../../ui/HistoryTab.tsx';
import { QueryState, errorMessage } from '../../../ui/QueryState.tsx';
import { ifMatch } from '../shared/forms.ts';
import { LoginThrottle } from './LoginThrottle.tsx';
import { SetPasswordForm, UserProfileForm, type RoleRef, type UserProfileValues } from './UserForms.tsx';
import { UserRoles } from './UserRoles.tsx';
import { useRoleList } from './useRoleList.ts';

/**
 * `/administration/users/:id`: a user's profile, whether it may sign in (disabling ends its sessions at once),
 * its roles, a new password, and its history.
 */
export function UserPage() {
  const { t } = useTranslation('administration');
  const { id = '' } = useParams();
  const { can, me } = useSession();
  const canWrite = can('sso:users:write');
  const client = useQueryClient();
  const roles = useRoleList();
  const [confirmDisable, setConfirmDisable] = useState(false);
  const key = ['sso', 'users', 'one', id];
  const user = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(api.sso.GET('/v1/users/{id}', { params: { path: { id }, query: { includeDeleted: false } } })),
  });
  type User = NonNullable<typeof user.data>;
  const saved = async (next: User, message: string) => {
    client.setQueryData(key, next);
    await client.invalidateQueries({ queryKey: ['sso', 'users', 'list'] });
    notifications.show({ color: 'green', message });
  };
  const version = user.data?.version ?? 0;

  const profile = useMutation({
    mutationFn: (values: UserProfileValues) =>
      unwrap(
        api.sso.PATCH('/v1/users/{id}', { params: { path: { id }, header: ifMatch(version) }, body: values }),
      ),
    onSuccess: (next) => saved(next, t('users.saved', { username: next.username })),
  });
  const status = useMutation({
    mutationFn: (active: boolean) =>
      unwrap(
        api.sso.PATCH('/v1/users/{id}', {
          params: { path: { id }, header: ifMatch(version) },
          body: { active },
        }),
      ),
    onSuccess: (next) =>
      saved(next, t(next.active ? 'users.enabled' : 'users.disabled', { username: next.username })),
    onSettled: () => setConfirmDisable(false),
  });
  const grant = useMutation({
    mutationFn: (roleId: string) =>
      unwrap(api.sso.POST('/v1/users/{id}/roles', { params: { path: { id } }, body: { roleId } })),
    onSuccess: (next) => saved(next, t('users.granted', { username: next.username })),
  });
  const revoke = useMutation({
    mutationFn: (role: RoleRef) =>
      unwrap(api.sso.DELETE('/v1/users/{id}/roles/{roleId}', { params: { path: { id, roleId: role.id } } })),
    onSuccess: (next) => saved(next, t('users.revoked', { username: next.username })),
  });
  const password = useMutation({
    mutationFn: (value: string) =>
      unwrap(api.sso.PUT('/v1/users/{id}/password', { params: { path: { id } }, body: { password: value } })),
    onSuccess: () => notifications.show({ color: 'green', message: t('users.passwordSet') }),
  });
  const throttleKey = ['sso', 'users', 'throttle', id];
  const throttle = useQuery({
    queryKey: throttleKey,
    queryFn: () => unwrap(api.sso.GET('/v1/users/{id}/login-throttle', { params: { path: { id } } })),
  });
  const lift = useMutation({
    mutationFn: () => unwrap(api.sso.POST('/v1/users/{id}/unlock', { params: { path: { id } } })),
    onSuccess: (next) => {
      client.setQueryData(throttleKey, next);
      notifications.show({
        color: 'green',
        message: t('users.throttle.lifted', { username: user.data?.username }),
      });
    },
  });
  const rolesError = grant.error ?? revoke.error;

  return (
    <Stack>
      <Anchor component={Link} to="/administration/users" size="sm">
        {t('users.back')}
      </Anchor>
      <QueryState query={user} isEmpty={() => false}>
        {(data) => (
          <Stack>
            <Group gap="sm" wrap="wrap">
              <Title order={2}>{data.fullName}</Title>
              <Text c="dimmed">{data.username}</Text>
              <Badge color={data.active ? 'green' : 'gray'} variant="light">
                {data.active ? t('users.activeBadge') : t('users.disabledBadge')}
              </Badge>
            </Group>

            <Paper withBorder p="md">
              <Title order={3} mb="sm">
                {t('users.profile')}
              </Title>
              <UserProfileForm
                key={data.version}
                initial={{ fullName: data.fullName, email: data.email }}
                onSubmit={(values) => profile.mutate(values)}
                error={profile.error}
                submitting={profile.isPending}
                readOnly={!canWrite}
              />
            </Paper>

            <Paper withBorder p="md">
              <Title order={3} mb="sm">
                {t('users.access')}
              </Title>
              <Stack gap="sm">
                <Text size="sm">{data.active ? t('users.activeText') : t('users.disabledText')}</Text>
                {status.error && (
                  <Alert color="red" role="alert">
                    {errorMessage(status.error, t('common:states.unreachable'))}
                  </Alert>
                )}
                {throttle.data && (
                  <LoginThrottle
                    status={throttle.data}
                    canWrite={canWrite}
                    onLift={() => lift.mutate()}
                    lifting={lift.isPending}
                    error={lift.error}
                  />
                )}
                {canWrite && (
                  <Group>
                    {data.active ? (
                      <Button
                        color="red"
                        variant="light"
                        disabled={me?.id === data.id}
                        onClick={() => setConfirmDisable(true)}
                      >
                        {t('users.disable')}
                      </Button>
                    ) : (
                      <Button variant="light" loading={status.isPending} onClick={() => status.mutate(true)}>
                        {t('users.enable')}
                      </Button>
                    )}
                  </Group>
                )}
              </Stack>
            </Paper>

            <Paper withBorder p="md">
              <Title order={3} mb="sm">
                {t('users.roles')}
              </Title>
              {rolesError && (
                <Alert color="red" role="alert" mb="sm">
                  {errorMessage(rolesError, t('common:states.unreachable'))}
                </Alert>
              )}
              <UserRoles
                held={data.roles}
                roles={roles}
                canWrite={canWrite}
                onGrant={(roleId) => {
                  revoke.reset();
                  grant.mutate(roleId);
                }}
                onRevoke={(role) => {
                  grant.reset();
                  revoke.mutate(role);
                }}
                busy={grant.isPending || revoke.isPending}
              />
            </Paper>

            {canWrite && (
              <Paper withBorder p="md">
                <Title order={3} mb="sm">
                  {t('users.password')}
                </Title>
                <SetPasswordForm
                  onSubmit={(value) => password.mutate(value)}
                  error={password.error}
                  submitting={password.isPending}
                />
              </Paper>
            )}

            <Title order={3}>{t('history')}</Title>
            <HistoryTab entityType="user" entityId={data.id} />

            <Modal
              opened={confirmDisable}
              onClose={() => setConfirmDisable(false)}
              title={t('users.disableTitle', { username: data.username })}
            >
              <Stack>
                <Text size="sm">{t('users.disableText')}</Text>
                <Group justify="flex-end">
                  <Button variant="default" onClick={() => setConfirmDisable(false)}>
                    {t('common:actions.cancel')}
                  </Button>
                  <Button color="red" loading={status.isPending} onClick={() => status.mutate(false)}>
                    {t('users.disable')}
                  </Button>
                </Group>
              </Stack>
            </Modal>
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}
