import { Button, Group, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../auth/useSession.ts';

export type BillingSection =
  | 'invoices'
  | 'payments'
  | 'unmatched'
  | 'imports'
  | 'overdue'
  | 'register-payment'
  | 'billing-run'
  | 'import-statement';

const SECTIONS = [
  { key: 'invoices', path: '/billing', permission: 'billing:invoices:read' },
  { key: 'payments', path: '/billing/payments', permission: 'billing:payments:read' },
  { key: 'unmatched', path: '/billing/unmatched', permission: 'billing:payments:read' },
  { key: 'imports', path: '/billing/imports', permission: 'billing:payments:read' },
  { key: 'overdue', path: '/billing/overdue', permission: 'billing:invoices:read' },
] as const;

/** The actions of billing, each a page of its own (so a deep link or the browser's back works as expected). */
const ACTIONS = [
  { key: 'register-payment', path: '/billing/payments/new', permission: 'billing:payments:write' },
  { key: 'billing-run', path: '/billing/runs/new', permission: 'billing:runs:write' },
  { key: 'import-statement', path: '/billing/imports/new', permission: 'billing:payments:write' },
] as const;

/**
 * The frame of every billing page: the title, the actions the user may take (not the one whose page this is)
 * and the sections the user may read.
 */
export function BillingFrame({ section, children }: { section: BillingSection; children: ReactNode }) {
  const { t } = useTranslation('billing');
  const { can } = useSession();
  const navigate = useNavigate();
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={2}>{t('common:nav.billing')}</Title>
        <Group gap="xs" wrap="wrap">
          {ACTIONS.filter((action) => action.key !== section && can(action.permission)).map((action) => (
            // Buttons (not links): they start a task, and the end-to-end test presses them as buttons.
            <Button key={action.key} onClick={() => void navigate(action.path)} variant="light" size="sm">
              {t(`actions.${action.key}`)}
            </Button>
          ))}
        </Group>
      </Group>
      <Group component="nav" aria-label={t('sections.label')} gap={4} wrap="wrap">
        {SECTIONS.filter((entry) => can(entry.permission)).map((entry) => (
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
