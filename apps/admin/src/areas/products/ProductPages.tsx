import { Alert, Anchor, Button, Group, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { useSession } from '../../auth/useSession.ts';
import { ErrorState, LoadingState } from '../../ui/QueryState.tsx';
import { ConfirmDialog } from '../parties/ConfirmDialog.tsx';
import type { Product } from '../calculator/types.ts';
import { productBody, type ProductFormValues, type UpdateProductBody } from './product-form.ts';
import { ProductForm } from './ProductForm.tsx';
import { ProductStatusBadge } from './ProductsPage.tsx';

const saved = (message: string) => notifications.show({ color: 'green', message });

/** `/products/new`: makes a product (offered at once), then goes back to the list. */
export function NewProductPage() {
  const { t } = useTranslation('products');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = async (values: ProductFormValues) => {
    const product = await unwrap(
      api.leasing.POST('/v1/products', { body: { code: values.code, ...productBody(values), active: true } }),
    );
    saved(t('form.created', { code: product.code }));
    await queryClient.invalidateQueries({ queryKey: ['leasing', 'products'] });
    void navigate('/products');
  };
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/products" size="sm">
        {t('form.back')}
      </Anchor>
      <Title order={2}>{t('form.newTitle')}</Title>
      <ProductForm onSubmit={create} onCancel={() => void navigate('/products')} />
    </Stack>
  );
}

/** `/products/:id`: one product, changed with its version as If-Match, retired or offered again. */
export function ProductPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('products');
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [retiring, setRetiring] = useState(false);
  const query = useQuery({
    queryKey: ['leasing', 'products', 'one', id],
    queryFn: () =>
      unwrap(
        api.leasing.GET('/v1/products/{id}', { params: { path: { id }, query: { includeDeleted: false } } }),
      ),
  });
  const change = useMutation({
    mutationFn: ({ product, body }: { product: Product; body: UpdateProductBody }) =>
      unwrap(
        api.leasing.PATCH('/v1/products/{id}', {
          params: { path: { id: product.id }, header: { 'if-match': `"${product.version}"` } },
          body,
        }),
      ),
    onSuccess: async (product) => {
      queryClient.setQueryData(['leasing', 'products', 'one', id], product);
      await queryClient.invalidateQueries({ queryKey: ['leasing', 'products'] });
    },
  });
  if (query.isPending) return <LoadingState />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const product = query.data;
  const mayWrite = can('leasing:products:write');

  const setActive = (active: boolean) =>
    change.mutate(
      { product, body: { active } },
      {
        onSuccess: () => {
          setRetiring(false);
          saved(t(active ? 'retire.reactivated' : 'retire.done', { code: product.code }));
        },
      },
    );

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/products" size="sm">
        {t('form.back')}
      </Anchor>
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <Title order={2}>{t('form.editTitle', { code: product.code })}</Title>
          <ProductStatusBadge active={product.active} />
        </Group>
        {mayWrite &&
          (product.active ? (
            <Button color="red" variant="light" onClick={() => setRetiring(true)}>
              {t('retire.button')}
            </Button>
          ) : (
            <Button variant="light" loading={change.isPending} onClick={() => setActive(true)}>
              {t('retire.reactivate')}
            </Button>
          ))}
      </Group>
      {!product.active && <Alert color="gray">{t('retire.retiredNote')}</Alert>}
      {!mayWrite && <Alert color="blue">{t('form.readOnly')}</Alert>}
      <ProductForm
        key={product.version}
        product={product}
        readOnly={!mayWrite}
        onSubmit={async (values) => {
          await change.mutateAsync({ product, body: productBody(values) });
          saved(t('common:errors.saved'));
          void navigate('/products');
        }}
        onCancel={() => void navigate('/products')}
      />
      <ConfirmDialog
        opened={retiring}
        destructive
        color="red"
        title={t('retire.title', { code: product.code })}
        text={t('retire.text', { name: product.name })}
        onConfirm={() => setActive(false)}
        onClose={() => setRetiring(false)}
        pending={change.isPending}
        error={retiring ? change.error : null}
      />
    </Stack>
  );
}
