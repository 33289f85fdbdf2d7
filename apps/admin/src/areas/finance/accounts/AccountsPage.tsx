import {
  Anchor,
  Badge,
  Button,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { DataTable } from '../../../ui/DataTable.tsx';
import { HistoryTab } from '../../../ui/HistoryTab.tsx';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { currencyCode, useReportParams } from '../common/params.ts';
import { ACCOUNT_TYPES, type Account, type AccountChange, type NewAccount } from '../common/types.ts';
import { entityQuery, FinanceFrame, useLegalEntity } from '../FinanceFrame.tsx';
import { AccountForm } from './AccountForm.tsx';
import { CLOSED_LIST } from '../../billing/common/values.ts';

/** The chart of accounts (finance:accounts:read); open and change accounts with finance:accounts:write. */
export function AccountsPage() {
  const { t } = useTranslation('finance');
  const { can } = useSession();
  const client = useQueryClient();
  const entity = useLegalEntity();
  const params = useReportParams();
  const type = ACCOUNT_TYPES.find((value) => value === params.get('type'));
  const currency = currencyCode(params.get('currency'));
  const showDisabled = params.get('disabled') === 'show';
  const sort = params.get('sort') === '-code' ? '-code' : 'code';
  const filters = {
    ...entityQuery(entity),
    ...(type ? { type } : {}),
    ...(currency ? { currency } : {}),
    ...(showDisabled ? {} : { disabled: false }),
  };
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Account | null>(null);
  const { query, pager } = usePagedQuery(['finance', 'accounts', 'list', filters, sort], (cursor) =>
    unwrap(
      api.finance.GET('/v1/accounts', {
        params: {
          query: { limit: 100, deleted: 'exclude', sort, ...filters, ...(cursor ? { cursor } : {}) },
        },
      }),
    ),
  );
  const saved = async (account: Account) => {
    await client.invalidateQueries({ queryKey: ['finance', 'accounts'] });
    notifications.show({
      color: 'green',
      message: t('account.saved', { code: account.code, name: account.name }),
    });
  };
  const create = useMutation({
    mutationFn: (body: NewAccount) =>
      unwrap(api.finance.POST('/v1/accounts', { body: { ...body, ...entityQuery(entity) } })),
    onSuccess: async (account) => {
      setCreating(false);
      await saved(account);
    },
  });
  const change = useMutation({
    mutationFn: ({ account, body }: { account: Account; body: AccountChange }) =>
      unwrap(
        api.finance.PATCH('/v1/accounts/{id}', {
          params: { path: { id: account.id }, header: { 'if-match': `"${account.version}"` } },
          body,
        }),
      ),
    onSuccess: async (account) => {
      setEditing(null);
      await saved(account);
    },
  });
  const writable = can('finance:accounts:write');
  return (
    <FinanceFrame
      section="accounts"
      actions={
        writable && (
          <Button
            onClick={() => {
              create.reset();
              setCreating(true);
            }}
          >
            {t('account.new')}
          </Button>
        )
      }
    >
      <Stack gap="sm">
        <Title order={3}>{t('accounts.title')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Select
            comboboxProps={CLOSED_LIST}
            label={t('account.type')}
            value={type ?? null}
            onChange={(value) => params.set('type', value)}
            data={ACCOUNT_TYPES.map((value) => ({ value, label: t(`accountType.${value}`) }))}
            clearable
            placeholder={t('report.any')}
          />
          <TextInput
            label={t('account.currency')}
            value={params.get('currency')}
            maxLength={3}
            onChange={(event) => params.set('currency', event.currentTarget.value.toUpperCase())}
            error={params.get('currency') && !currency ? t('report.currencyInvalid') : undefined}
          />
          <Switch
            mt={{ sm: 28 }}
            label={t('accounts.showDisabled')}
            checked={showDisabled}
            onChange={(event) => params.set('disabled', event.currentTarget.checked ? 'show' : null)}
          />
        </SimpleGrid>
        <DataTable
          caption={t('accounts.title')}
          rows={query.data?.items}
          rowKey={(account) => account.id}
          loading={query.isPending}
          error={query.error}
          onRetry={() => void query.refetch()}
          sort={sort}
          onSortChange={(next) => params.set('sort', next === 'code' ? null : next)}
          pager={pager}
          empty={t('accounts.empty')}
          columns={[
            {
              key: 'code',
              header: t('account.code'),
              sortKey: 'code',
              // The code opens the account's balances by contract, in its currency and the same books.
              render: (account: Account) =>
                can('finance:reports:read') ? (
                  <Anchor
                    component={Link}
                    size="sm"
                    title={t('balances.open')}
                    to={`/finance/balances?${new URLSearchParams({
                      ...(entity ? { entity } : {}),
                      account: account.code,
                      currency: account.currency,
                    }).toString()}`}
                  >
                    {account.code}
                  </Anchor>
                ) : (
                  account.code
                ),
            },
            { key: 'name', header: t('account.name') },
            { key: 'type', header: t('account.type'), render: (account) => t(`accountType.${account.type}`) },
            { key: 'currency', header: t('account.currency') },
            {
              key: 'disabled',
              header: t('account.state'),
              render: (account) =>
                account.disabled ? (
                  <Badge color="gray" variant="light">
                    {t('account.disabled')}
                  </Badge>
                ) : (
                  <Badge color="green" variant="light">
                    {t('account.enabled')}
                  </Badge>
                ),
            },
            ...(writable
              ? [
                  {
                    key: 'actions',
                    header: t('account.actions'),
                    render: (account: Account) => (
                      <Button
                        size="compact-xs"
                        variant="light"
                        aria-label={t('account.editNamed', { code: account.code })}
                        onClick={() => {
                          change.reset();
                          setEditing(account);
                        }}
                      >
                        {t('common:actions.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Stack>
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('account.new')} size="lg">
        <AccountForm
          mode="create"
          onSubmit={(body) => create.mutate(body)}
          pending={create.isPending}
          error={create.error}
        />
      </Modal>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? t('account.editTitle', { code: editing.code, currency: editing.currency }) : ''}
        size="lg"
      >
        {editing && (
          <Stack gap="lg">
            <AccountForm
              mode="edit"
              account={editing}
              onSubmit={(body) => change.mutate({ account: editing, body })}
              pending={change.isPending}
              error={change.error}
            />
            <HistoryTab entityType="account" entityId={editing.id} />
          </Stack>
        )}
      </Modal>
    </FinanceFrame>
  );
}
