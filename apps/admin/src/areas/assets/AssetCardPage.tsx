import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { useSession } from '../../auth/useSession.ts';
import { formatDate, formatDateTime, formatMoneyValue } from '../../i18n/format.ts';
import { ActorName, actorText } from '../../ui/ActorName.tsx';
import { Facts } from '../../ui/Facts.tsx';
import { HistoryTab } from '../../ui/HistoryTab.tsx';
import { ErrorState, LoadingState } from '../../ui/QueryState.tsx';
import { useActorNames } from '../../ui/useActorNames.ts';
import { ChangeStatusButton, StatusHistoryTab } from './AssetStatus.tsx';
import { InsuranceTab } from './InsurancePolicies.tsx';
import { AssetStatusBadge } from './StatusBadge.tsx';
import type { Asset, StatusChangeBody } from './types.ts';

/** The entity type audit records assets under (assets publishes `lessor.assets.asset.*`). */
const AUDIT_ENTITY_TYPE = 'asset';

/** What the register holds about one asset. */
export function AssetDetails({
  asset,
  supplierName,
  canOpenContract,
}: {
  asset: Asset;
  supplierName?: string | undefined;
  canOpenContract: boolean;
}) {
  const { t } = useTranslation('assets');
  const names = useActorNames([asset.createdBy, asset.updatedBy]);
  const items: [string, ReactNode][] = [
    [t('fields.type'), t(`types.${asset.type}`)],
    [t('fields.make'), asset.make],
    [t('fields.model'), asset.model],
    asset.vin !== null ? [t('fields.vin'), asset.vin] : [t('fields.serialNumber'), asset.serialNumber ?? '—'],
    [t('fields.year'), String(asset.year)],
    [t('fields.price'), formatMoneyValue(asset.price)],
    [t('fields.supplier'), supplierName ?? (asset.supplierId ? asset.supplierId : '—')],
    [t('fields.location'), asset.locationText ?? '—'],
    [t('fields.status'), <AssetStatusBadge status={asset.status} />],
    [t('fields.statusChangedAt'), formatDateTime(asset.statusChangedAt)],
    [
      t('fields.contract'),
      asset.contractId ? (
        canOpenContract ? (
          <Anchor component={Link} to={`/contracts/${asset.contractId}`} size="sm">
            {t('card.openContract')}
          </Anchor>
        ) : (
          asset.contractId
        )
      ) : (
        '—'
      ),
    ],
    [t('fields.insuredUntil'), asset.insuredUntil ? formatDate(asset.insuredUntil) : t('list.notInsured')],
    [
      t('fields.createdAt'),
      <>
        {formatDateTime(asset.createdAt)} ·{' '}
        <ActorName actor={asset.createdBy} name={names[asset.createdBy]} />
      </>,
    ],
    [
      t('fields.updatedAt'),
      <>
        {formatDateTime(asset.updatedAt)} ·{' '}
        <ActorName actor={asset.updatedBy} name={names[asset.updatedBy]} />
      </>,
    ],
  ];
  return (
    <Paper withBorder p="md">
      <Facts items={items} />
    </Paper>
  );
}

/** The asset card at `/assets/:id`: its data, status history, insurance policies and audit history. */
export function AssetCardPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('assets');
  const { can } = useSession();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['assets', 'assets', id],
    queryFn: () =>
      unwrap(
        api.assets.GET('/v1/assets/{id}', { params: { path: { id }, query: { includeDeleted: true } } }),
      ),
  });
  const supplierId = query.data?.supplierId ?? null;
  const supplier = useQuery({
    queryKey: ['assets', 'suppliers', supplierId],
    queryFn: () =>
      unwrap(
        api.assets.GET('/v1/suppliers/{id}', {
          params: { path: { id: supplierId ?? '' }, query: { includeDeleted: true } },
        }),
      ),
    enabled: supplierId !== null && can('assets:suppliers:read'),
  });
  const deletedBy = query.data?.deletedBy ?? null;
  const names = useActorNames(deletedBy ? [deletedBy] : []);

  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const asset = query.data;

  const changeStatus = async (body: StatusChangeBody) => {
    await unwrap(
      api.assets.POST('/v1/assets/{id}/status', {
        params: { path: { id }, header: { 'if-match': `"${asset.version}"` } },
        body,
      }),
    );
    notifications.show({
      color: 'green',
      message: t('card.statusChanged', { status: t(`status.${body.status}`) }),
      closeButtonProps: { 'aria-label': t('dismiss') },
    });
    await queryClient.invalidateQueries({ queryKey: ['assets', 'assets'] });
  };

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/assets" size="sm">
        {t('card.back')}
      </Anchor>
      <Group gap="sm" wrap="wrap">
        <Title order={2}>{t('card.title', { make: asset.make, model: asset.model })}</Title>
        <AssetStatusBadge status={asset.status} />
      </Group>
      {asset.deletedAt && (
        <Text c="red" size="sm" title={asset.deletedBy ?? undefined}>
          {t('card.deleted', {
            at: formatDateTime(asset.deletedAt),
            by: asset.deletedBy ? actorText(asset.deletedBy, names[asset.deletedBy]) : '',
          })}
        </Text>
      )}
      {can('assets:assets:write') && !asset.deletedAt && (
        <Group gap="xs">
          <Button component={Link} to={`/assets/${asset.id}/edit`} variant="light">
            {t('common:actions.edit')}
          </Button>
          <ChangeStatusButton key={asset.version} status={asset.status} onSubmit={changeStatus} />
        </Group>
      )}
      <SimpleGrid cols={{ base: 1 }}>
        <AssetDetails
          asset={asset}
          supplierName={supplier.data?.name}
          canOpenContract={can('leasing:contracts:read')}
        />
      </SimpleGrid>
      <Tabs defaultValue="status" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="status">{t('tabs.statusHistory')}</Tabs.Tab>
          {can('assets:insurance:read') && <Tabs.Tab value="insurance">{t('tabs.insurance')}</Tabs.Tab>}
          {can('audit:records:read') && <Tabs.Tab value="history">{t('tabs.history')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="status" pt="md">
          <StatusHistoryTab assetId={asset.id} />
        </Tabs.Panel>
        {can('assets:insurance:read') && (
          <Tabs.Panel value="insurance" pt="md">
            <InsuranceTab assetId={asset.id} currency={asset.price.currency} />
          </Tabs.Panel>
        )}
        {can('audit:records:read') && (
          <Tabs.Panel value="history" pt="md">
            <HistoryTab entityType={AUDIT_ENTITY_TYPE} entityId={asset.id} />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
