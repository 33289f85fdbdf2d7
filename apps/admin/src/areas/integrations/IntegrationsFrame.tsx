import { Button, Group, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../auth/useSession.ts';

export type IntegrationsSection = 'connectors' | 'runs' | 'conflicts' | 'outbound' | 'exports';

/** The sub-pages of integrations, each shown only with its own permission. */
export const INTEGRATIONS_SECTIONS: readonly {
  key: IntegrationsSection;
  path: string;
  permission: string;
}[] = [
  { key: 'connectors', path: '/integrations', permission: 'integration:connectors:read' },
  { key: 'runs', path: '/integrations/runs', permission: 'integration:runs:read' },
  { key: 'conflicts', path: '/integrations/conflicts', permission: 'integration:conflicts:read' },
  { key: 'outbound', path: '/integrations/outbound', permission: 'integration:outbound:read' },
  { key: 'exports', path: '/integrations/exports', permission: 'integration:exports:read' },
];

/**
 * The frame of every integrations page: the title (the page's `h2`), the actions of the page and the
 * sub-pages the user may open.
 */
export function IntegrationsFrame({
  section,
  actions,
  children,
}: {
  section: IntegrationsSection;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation('integrations');
  const { can } = useSession();
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm" align="flex-end">
        <Title order={2}>{t('title')}</Title>
        {actions && (
          <Group gap="xs" wrap="wrap">
            {actions}
          </Group>
        )}
      </Group>
      <Group component="nav" aria-label={t('sections.label')} gap={4} wrap="wrap">
        {INTEGRATIONS_SECTIONS.filter((entry) => can(entry.permission)).map((entry) => (
          <Button
            key={entry.key}
            component={Link}
            to={entry.path}
            size="compact-sm"
            variant={entry.key === section ? 'light' : 'subtle'}
            aria-current={entry.key === section ? 'page' : undefined}
          >
            {t(`sections.${entry.key}`)}
          </Button>
        ))}
      </Group>
      {children}
    </Stack>
  );
}
