import { Anchor, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { useSession } from '../../auth/useSession.ts';
import { ErrorState, LoadingState } from '../../ui/QueryState.tsx';
import { AssetForm, type AssetSubmission } from './AssetForm.tsx';

/** Suppliers for the form's choice (the first 100 by name; the register has few). */
function useSuppliers() {
  const { can } = useSession();
  return useQuery({
    queryKey: ['assets', 'suppliers', 'choice'],
    queryFn: () =>
      unwrap(
        api.assets.GET('/v1/suppliers', {
          params: { query: { limit: 100, deleted: 'exclude', sort: 'name' } },
        }),
      ),
    enabled: can('assets:suppliers:read'),
  });
}

/** `/assets/new`: registers an asset, then opens its card. */
export function NewAssetPage() {
  const { t } = useTranslation('assets');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const suppliers = useSuppliers();
  // One key per form: a repeated click or a retried request registers the asset once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const create = async ({ body }: AssetSubmission) => {
    const asset = await unwrap(
      api.assets.POST('/v1/assets', { body, headers: { 'idempotency-key': idempotencyKey } }),
    );
    notifications.show({
      color: 'green',
      message: t('form.created'),
      closeButtonProps: { 'aria-label': t('dismiss') },
    });
    await queryClient.invalidateQueries({ queryKey: ['assets', 'assets'] });
    void navigate(`/assets/${asset.id}`);
  };
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/assets" size="sm">
        {t('card.back')}
      </Anchor>
      <Title order={2}>{t('form.newTitle')}</Title>
      <AssetForm
        {...(suppliers.data ? { suppliers: suppliers.data.items } : {})}
        onSubmit={create}
        onCancel={() => void navigate('/assets')}
      />
    </Stack>
  );
}

/** `/assets/:id/edit`: changes an asset (not its status), with the version read as If-Match. */
export function EditAssetPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('assets');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const suppliers = useSuppliers();
  const query = useQuery({
    queryKey: ['assets', 'assets', id],
    queryFn: () =>
      unwrap(
        api.assets.GET('/v1/assets/{id}', { params: { path: { id }, query: { includeDeleted: true } } }),
      ),
  });
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const asset = query.data;
  const save = async ({ body, cleared }: AssetSubmission) => {
    await unwrap(
      api.assets.PATCH('/v1/assets/{id}', {
        params: { path: { id }, header: { 'if-match': `"${asset.version}"` } },
        body: { ...body, ...cleared },
      }),
    );
    notifications.show({
      color: 'green',
      message: t('common:errors.saved'),
      closeButtonProps: { 'aria-label': t('dismiss') },
    });
    await queryClient.invalidateQueries({ queryKey: ['assets', 'assets'] });
    void navigate(`/assets/${id}`);
  };
  return (
    <Stack gap="md">
      <Anchor component={Link} to={`/assets/${id}`} size="sm">
        {t('form.backToAsset')}
      </Anchor>
      <Title order={2}>{t('form.editTitle', { make: asset.make, model: asset.model })}</Title>
      <AssetForm
        key={asset.version}
        asset={asset}
        {...(suppliers.data ? { suppliers: suppliers.data.items } : {})}
        onSubmit={save}
        onCancel={() => void navigate(`/assets/${id}`)}
      />
    </Stack>
  );
}
