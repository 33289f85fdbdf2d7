import { Anchor, Badge, Button, Checkbox, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { useSession } from '../../auth/useSession.ts';
import { formatDecimal } from '../../i18n/format.ts';
import { DataTable } from '../../ui/DataTable.tsx';
import { useListFilters } from '../../ui/useListFilters.ts';
import type { Product } from '../calculator/types.ts';

/** In use or retired (`active: false`: kept and readable, no longer offered by the calculator). */
export function ProductStatusBadge({ active }: { active: boolean }) {
  const { t } = useTranslation('products');
  return (
    <Badge color={active ? 'green' : 'gray'} variant="light">
      {t(active ? 'status.active' : 'status.retired')}
    </Badge>
  );
}

/**
 * `/products`: the lease products (a leasing company has a handful: up to 200, not paged), those in use unless
 * the retired ones are asked for. A fresh install has none, and the calculator sends its users here.
 */
export function ProductsPage() {
  const { t } = useTranslation('products');
  const { can } = useSession();
  const navigate = useNavigate();
  const filters = useListFilters();
  const showRetired = filters.get('retired') === 'shown';
  const query = useQuery({
    queryKey: ['leasing', 'products', 'list', { showRetired }],
    queryFn: () =>
      unwrap(
        api.leasing.GET('/v1/products', {
          params: {
            query: { limit: 200, deleted: 'exclude', sort: 'name', ...(showRetired ? {} : { active: true }) },
          },
        }),
      ),
  });
  const mayWrite = can('leasing:products:write');
  const percent = (min: string, max: string) =>
    t('percentRange', { min: formatDecimal(min), max: formatDecimal(max) });

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('list.title')}</Title>
        {mayWrite && (
          <Button component={Link} to="/products/new">
            {t('list.new')}
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        {t('list.intro')}
      </Text>
      <Checkbox
        label={t('list.showRetired')}
        checked={showRetired}
        onChange={(event) => filters.set('retired', event.currentTarget.checked ? 'shown' : null)}
      />
      <DataTable<Product>
        caption={t('list.caption')}
        rows={query.data?.items}
        rowKey={(product) => product.id}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        empty={
          mayWrite ? (
            <Anchor component={Link} to="/products/new">
              {t('list.empty')}
            </Anchor>
          ) : (
            t('list.emptyReadOnly')
          )
        }
        onRowClick={(product) => void navigate(`/products/${product.id}`)}
        columns={[
          {
            key: 'code',
            header: t('fields.code'),
            render: (product) => (
              <Anchor
                component={Link}
                to={`/products/${product.id}`}
                size="sm"
                onClick={(event) => event.stopPropagation()}
              >
                {product.code}
              </Anchor>
            ),
          },
          { key: 'name', header: t('fields.name'), render: (product) => product.name },
          {
            key: 'currencies',
            header: t('fields.currencies'),
            render: (product) => product.currencies.join(', '),
          },
          {
            key: 'terms',
            header: t('fields.terms'),
            render: (product) => t('months', { min: product.minTermMonths, max: product.maxTermMonths }),
          },
          {
            key: 'rates',
            header: t('fields.rates'),
            render: (product) => percent(product.minRate, product.maxRate),
          },
          {
            key: 'status',
            header: t('fields.status'),
            render: (product) => <ProductStatusBadge active={product.active} />,
          },
        ]}
      />
    </Stack>
  );
}
