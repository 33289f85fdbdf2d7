import { Button, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation } from 'react-router';
import { allows, permissionsOf, type PermissionRule } from '../areas/area.ts';
import { useSession } from '../auth/useSession.ts';
import { formatLocale } from '../i18n/format.ts';
import { LoadingState } from '../ui/QueryState.tsx';

/** Everything but the sign-in page needs a session: without one, to the sign-in page and back afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { status } = useSession();
  const location = useLocation();
  if (status === 'unknown') return <LoadingState />;
  if (status === 'signed-out') {
    return <Navigate to="/signin" replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return <>{children}</>;
}

/** A page the user's roles do not allow shows why, instead of failing calls. */
export function RequirePermission({
  permission,
  children,
}: {
  permission: PermissionRule;
  children: ReactNode;
}) {
  const { can } = useSession();
  return allows(permission, can) ? <>{children}</> : <NoAccess permission={permission} />;
}

/** "No access", naming what the page needs: its permission, or the ones it accepts ("a, b, or c"). */
export function NoAccess({ permission }: { permission: PermissionRule }) {
  const { t } = useTranslation();
  const needed = new Intl.ListFormat(formatLocale(), { type: 'disjunction' }).format(
    permissionsOf(permission),
  );
  return (
    <Stack align="flex-start" data-testid="no-access">
      <Title order={2}>{t('noAccess.title')}</Title>
      <Text>{t('noAccess.text', { permission: needed })}</Text>
      <Button component={Link} to="/" variant="light">
        {t('noAccess.back')}
      </Button>
    </Stack>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start">
      <Title order={2}>{t('notFound.title')}</Title>
      <Text>{t('notFound.text')}</Text>
      <Button component={Link} to="/" variant="light">
        {t('noAccess.back')}
      </Button>
    </Stack>
  );
}
