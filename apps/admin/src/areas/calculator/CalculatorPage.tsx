import { Alert, Button, Card, Group, Stack, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { useSession } from '../../auth/useSession.ts';
import { formatDateTime, formatDecimal, formatMoneyValue } from '../../i18n/format.ts';
import { DataTable } from '../../ui/DataTable.tsx';
import { errorMessage, LoadingState, QueryState } from '../../ui/QueryState.tsx';
import { valuesOfCalculation } from './calculation-form.ts';
import { CalculationResult } from './CalculationResult.tsx';
import { CalculatorForm } from './CalculatorForm.tsx';
import { MakeContractDialog } from './MakeContractDialog.tsx';
import type { Calculation, CalculationRequest, Product } from './types.ts';

/** The products a calculation may use: the active ones (up to 200: a leasing company has a handful). */
function useProducts() {
  const { can } = useSession();
  return useQuery({
    queryKey: ['leasing', 'products', 'active'],
    enabled: can('leasing:products:read'),
    queryFn: () =>
      unwrap(
        api.leasing.GET('/v1/products', {
          params: { query: { limit: 200, deleted: 'exclude', active: true, sort: 'name' } },
        }),
      ),
  });
}

/** `calculator` (a new calculation) and `calculator/:id` (a saved one, its terms in the form again). */
export function CalculatorPage() {
  const { id } = useParams();
  const { t } = useTranslation('calculator');
  const navigate = useNavigate();
  const saved = useQuery({
    queryKey: ['leasing', 'calculations', id],
    enabled: id !== undefined,
    queryFn: () =>
      unwrap(
        api.leasing.GET('/v1/calculations/{id}', {
          params: { path: { id: id! }, query: { includeDeleted: false } },
        }),
      ),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('title')}</Title>
        {id !== undefined && (
          <Button onClick={() => void navigate('/calculator')} variant="default">
            {t('newCalculation')}
          </Button>
        )}
      </Group>
      {id === undefined ? (
        <Calculator key="new" />
      ) : (
        <QueryState query={saved} isEmpty={() => false}>
          {(calculation) => <Calculator key={calculation.id} saved={calculation} />}
        </QueryState>
      )}
    </Stack>
  );
}

function Calculator({ saved }: { saved?: Calculation }) {
  const { t } = useTranslation('calculator');
  const { can } = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const products = useProducts();
  const [result, setResult] = useState<Calculation | undefined>(saved);
  const [contractOpen, setContractOpen] = useState(false);
  const calculate = useMutation({
    mutationFn: (request: CalculationRequest) =>
      unwrap(api.leasing.POST('/v1/calculations', { body: request })),
    onSuccess: async (calculation) => {
      setResult(calculation);
      await queryClient.invalidateQueries({ queryKey: ['leasing', 'calculations', 'recent'] });
    },
  });
  const mayReadProducts = can('leasing:products:read');
  // Without the products (no permission, or the call failed) the calculator still works, without limits.
  const productList: Product[] | undefined =
    mayReadProducts && products.isSuccess ? products.data.items : undefined;
  const productName = (id: string | null) => {
    const product = products.data?.items.find((candidate) => candidate.id === id);
    return product ? `${product.name} (${product.code})` : undefined;
  };

  return (
    <Stack gap="lg">
      <Card withBorder padding="md">
        {mayReadProducts && products.isPending ? (
          <LoadingState />
        ) : (
          <Stack>
            {mayReadProducts && products.isError && (
              <Alert color="yellow">
                {t('form.productUnavailable', {
                  message: errorMessage(products.error, t('common:states.unreachable')),
                })}
              </Alert>
            )}
            <CalculatorForm
              products={productList}
              {...(saved ? { initialValues: valuesOfCalculation(saved) } : {})}
              onSubmit={(request) => calculate.mutate(request)}
              error={calculate.error}
              submitting={calculate.isPending}
            />
          </Stack>
        )}
      </Card>
      {result && (
        <>
          <CalculationResult
            calculation={result}
            productName={productName(result.productId)}
            canMakeContract={can('leasing:contracts:write')}
            onMakeContract={() => setContractOpen(true)}
          />
          {/* Always rendered, opened and closed: Mantine then knows where to give the focus back. */}
          <MakeContractDialog
            key={result.id}
            calculation={result}
            opened={contractOpen}
            onClose={() => setContractOpen(false)}
          />
        </>
      )}
      {can('leasing:calculations:read') && (
        <RecentCalculations
          productName={productName}
          onOpen={(calculation) => void navigate(`/calculator/${calculation.id}`)}
        />
      )}
    </Stack>
  );
}

/** The latest saved calculations (newest first); one opens with its terms in the form. */
function RecentCalculations({
  productName,
  onOpen,
}: {
  productName: (id: string | null) => string | undefined;
  onOpen: (calculation: { id: string }) => void;
}) {
  const { t } = useTranslation('calculator');
  const query = useQuery({
    queryKey: ['leasing', 'calculations', 'recent'],
    queryFn: () =>
      unwrap(
        api.leasing.GET('/v1/calculations', {
          params: { query: { limit: 10, deleted: 'exclude', sort: '-createdAt' } },
        }),
      ),
  });
  return (
    <Stack gap="xs">
      <Title order={3}>{t('recent.title')}</Title>
      <DataTable
        caption={t('recent.caption')}
        rows={query.data?.items}
        rowKey={(calculation) => calculation.id}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        empty={t('recent.empty')}
        onRowClick={onOpen}
        columns={[
          {
            key: 'createdAt',
            header: t('recent.createdAt'),
            render: (calculation) => formatDateTime(calculation.createdAt),
          },
          {
            key: 'product',
            header: t('recent.product'),
            render: (calculation) => productName(calculation.productId) ?? '—',
          },
          {
            key: 'scheduleType',
            header: t('recent.scheduleType'),
            render: (calculation) => t(`form.scheduleTypes.${calculation.scheduleType}`),
          },
          {
            key: 'termMonths',
            header: t('recent.term'),
            align: 'right',
            render: (calculation) => t('recent.months', { count: calculation.termMonths }),
          },
          {
            key: 'annualRate',
            header: t('recent.rate'),
            align: 'right',
            render: (calculation) => `${formatDecimal(calculation.annualRate)} %`,
          },
          {
            key: 'financedAmount',
            header: t('recent.financedAmount'),
            align: 'right',
            render: (calculation) => formatMoneyValue(calculation.financedAmount),
          },
          {
            key: 'effectiveRate',
            header: t('recent.effectiveRate'),
            align: 'right',
            render: (calculation) => `${formatDecimal(calculation.effectiveRate)} %`,
          },
        ]}
      />
    </Stack>
  );
}
