import { Alert, Button, Group, Modal, SimpleGrid, Stack, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/clients.ts';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import { useSession } from '../../auth/useSession.ts';
import { formatDate, formatMoneyValue } from '../../i18n/format.ts';
import { DataTable, useCursorPager, type CursorPager } from '../../ui/DataTable.tsx';
import { decimalInput, isAmount } from './AssetForm.tsx';
import type { InsurancePolicy, NewInsurancePolicy } from './types.ts';

const PAGE_SIZE = 25;

/** The insurance policies of an asset; with `onEdit`, each row has an Edit button. */
export function InsurancePoliciesTable({
  rows,
  loading,
  error,
  onRetry,
  pager,
  onEdit,
}: {
  rows: InsurancePolicy[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  pager?: CursorPager;
  onEdit?: (policy: InsurancePolicy) => void;
}) {
  const { t } = useTranslation('assets');
  return (
    <DataTable
      caption={t('insurance.caption')}
      rows={rows}
      rowKey={(row) => row.id}
      loading={loading}
      error={error}
      {...(onRetry ? { onRetry } : {})}
      {...(pager ? { pager } : {})}
      empty={t('insurance.empty')}
      columns={[
        { key: 'insurer', header: t('insurance.insurer') },
        { key: 'policyNumber', header: t('insurance.policyNumber') },
        {
          key: 'validFrom',
          header: t('insurance.validFrom'),
          sortValue: (row) => row.validFrom,
          render: (row) => formatDate(row.validFrom),
        },
        {
          key: 'validTo',
          header: t('insurance.validTo'),
          sortValue: (row) => row.validTo,
          render: (row) => formatDate(row.validTo),
        },
        {
          key: 'insuredAmount',
          header: t('insurance.insuredAmount'),
          align: 'right',
          render: (row) => formatMoneyValue(row.insuredAmount),
        },
        {
          key: 'premium',
          header: t('insurance.premium'),
          align: 'right',
          render: (row) => formatMoneyValue(row.premium),
        },
        { key: 'coverage', header: t('insurance.coverage'), render: (row) => row.coverage || '—' },
        ...(onEdit
          ? [
              {
                key: 'actions',
                header: '',
                render: (row: InsurancePolicy) => (
                  <Button
                    size="xs"
                    variant="light"
                    onClick={() => onEdit(row)}
                    aria-label={t('insurance.editPolicy', { number: row.policyNumber })}
                  >
                    {t('common:actions.edit')}
                  </Button>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

export interface PolicyFormValues {
  insurer: string;
  policyNumber: string;
  coverage: string;
  insuredAmount: { amount: string; currency: string };
  premium: { amount: string; currency: string };
  validFrom: string;
  validTo: string;
}

const POLICY_FIELDS = new Set([
  'insurer',
  'policyNumber',
  'coverage',
  'insuredAmount.amount',
  'insuredAmount.currency',
  'premium.amount',
  'premium.currency',
  'validFrom',
  'validTo',
]);

/** Adds or changes an insurance policy; the API judges the dates and amounts, its refusals shown per field. */
export function InsurancePolicyForm({
  policy,
  defaultCurrency,
  onSubmit,
  onCancel,
}: {
  policy?: InsurancePolicy;
  defaultCurrency: string;
  onSubmit: (body: NewInsurancePolicy) => Promise<unknown>;
  onCancel: () => void;
}) {
  const { t } = useTranslation('assets');
  const [problem, setProblem] = useState<{ title: string; detail?: string; rest: string[] } | null>(null);
  const required = (value: string) => (value.trim() === '' ? t('form.required') : null);
  const amount = (value: string) => (isAmount(value) ? null : t('form.amountFormat'));
  const currency = (value: string) => (/^[A-Z]{3}$/.test(value.trim()) ? null : t('form.currencyFormat'));
  const form = useForm<PolicyFormValues>({
    mode: 'controlled',
    initialValues: {
      insurer: policy?.insurer ?? '',
      policyNumber: policy?.policyNumber ?? '',
      coverage: policy?.coverage ?? '',
      insuredAmount: {
        amount: policy?.insuredAmount.amount ?? '',
        currency: policy?.insuredAmount.currency ?? defaultCurrency,
      },
      premium: {
        amount: policy?.premium.amount ?? '',
        currency: policy?.premium.currency ?? defaultCurrency,
      },
      validFrom: policy?.validFrom ?? '',
      validTo: policy?.validTo ?? '',
    },
    validate: {
      insurer: required,
      policyNumber: required,
      insuredAmount: { amount, currency },
      premium: { amount, currency },
      validFrom: required,
      validTo: required,
    },
  });
  const submit = async (values: PolicyFormValues) => {
    setProblem(null);
    try {
      await onSubmit({
        insurer: values.insurer.trim(),
        policyNumber: values.policyNumber.trim(),
        coverage: values.coverage.trim(),
        insuredAmount: {
          amount: decimalInput(values.insuredAmount.amount),
          currency: values.insuredAmount.currency.trim(),
        },
        premium: { amount: decimalInput(values.premium.amount), currency: values.premium.currency.trim() },
        validFrom: values.validFrom,
        validTo: values.validTo,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const fields = formFieldErrors(error.problem);
      form.setErrors(
        Object.fromEntries(Object.entries(fields).filter(([field]) => POLICY_FIELDS.has(field))),
      );
      setProblem({
        title: error.problem.title,
        ...(error.problem.detail ? { detail: error.problem.detail } : {}),
        rest: Object.entries(fields)
          .filter(([field]) => !POLICY_FIELDS.has(field))
          .map(([field, message]) => (field === '_' ? message : `${field}: ${message}`)),
      });
    }
  };
  return (
    <form onSubmit={form.onSubmit((values) => submit(values))} noValidate>
      <Stack gap="sm">
        {problem && (
          <Alert color="red" role="alert" title={problem.title}>
            {problem.detail}
            {problem.rest.map((line) => (
              <div key={line}>{line}</div>
            ))}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('insurance.insurer')}
            required
            maxLength={200}
            {...form.getInputProps('insurer')}
          />
          <TextInput
            label={t('insurance.policyNumber')}
            required
            maxLength={100}
            {...form.getInputProps('policyNumber')}
          />
          <TextInput
            type="date"
            label={t('insurance.validFrom')}
            required
            {...form.getInputProps('validFrom')}
          />
          <TextInput type="date" label={t('insurance.validTo')} required {...form.getInputProps('validTo')} />
          <TextInput
            label={t('insurance.insuredAmount')}
            required
            inputMode="decimal"
            {...form.getInputProps('insuredAmount.amount')}
          />
          <TextInput
            label={t('insurance.insuredAmountCurrency')}
            required
            maxLength={3}
            {...form.getInputProps('insuredAmount.currency')}
          />
          <TextInput
            label={t('insurance.premium')}
            required
            inputMode="decimal"
            {...form.getInputProps('premium.amount')}
          />
          <TextInput
            label={t('insurance.premiumCurrency')}
            required
            maxLength={3}
            {...form.getInputProps('premium.currency')}
          />
        </SimpleGrid>
        <Textarea
          label={t('insurance.coverage')}
          rows={2}
          maxLength={2000}
          {...form.getInputProps('coverage')}
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel}>
            {t('common:actions.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting}>
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The insurance tab of the asset card: the policies, and adding or changing one with the right to. */
export function InsuranceTab({ assetId, currency }: { assetId: string; currency: string }) {
  const { t } = useTranslation('assets');
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<InsurancePolicy | 'new' | null>(null);
  // The dialog stays mounted and is opened and closed (Mantine gives the focus back to the button only for a
  // modal it saw open); while it fades out it still shows the policy last opened.
  const [lastEdited, setLastEdited] = useState<InsurancePolicy | 'new' | null>(null);
  const edit = (policy: InsurancePolicy | 'new') => {
    setEditing(policy);
    setLastEdited(policy);
  };
  const [nextCursor, setNextCursor] = useState<string | null | undefined>(undefined);
  const pager = useCursorPager(nextCursor);
  const query = useQuery({
    queryKey: ['assets', 'assets', assetId, 'insurance-policies', pager.cursor],
    queryFn: () =>
      unwrap(
        api.assets.GET('/v1/assets/{id}/insurance-policies', {
          params: {
            path: { id: assetId },
            query: {
              limit: PAGE_SIZE,
              deleted: 'exclude',
              sort: '-validTo',
              ...(pager.cursor ? { cursor: pager.cursor } : {}),
            },
          },
        }),
      ),
  });
  useEffect(() => setNextCursor(query.data?.nextCursor), [query.data]);
  const mayWrite = can('assets:insurance:write');

  const save = async (body: NewInsurancePolicy) => {
    if (editing === 'new') {
      await unwrap(
        api.assets.POST('/v1/assets/{id}/insurance-policies', { params: { path: { id: assetId } }, body }),
      );
    } else if (editing) {
      await unwrap(
        api.assets.PATCH('/v1/assets/{id}/insurance-policies/{policyId}', {
          params: {
            path: { id: assetId, policyId: editing.id },
            header: { 'if-match': `"${editing.version}"` },
          },
          body,
        }),
      );
    }
    setEditing(null);
    notifications.show({
      color: 'green',
      message: t('common:errors.saved'),
      closeButtonProps: { 'aria-label': t('dismiss') },
    });
    // The asset's "insured until" follows its policies.
    await queryClient.invalidateQueries({ queryKey: ['assets', 'assets'] });
  };

  return (
    <Stack gap="sm">
      {mayWrite && (
        <Group>
          <Button variant="light" onClick={() => edit('new')}>
            {t('insurance.add')}
          </Button>
        </Group>
      )}
      <InsurancePoliciesTable
        rows={query.data?.items}
        loading={query.isPending}
        error={query.error}
        onRetry={() => void query.refetch()}
        pager={pager}
        {...(mayWrite ? { onEdit: (policy: InsurancePolicy) => edit(policy) } : {})}
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={
          lastEdited === null
            ? undefined
            : lastEdited === 'new'
              ? t('insurance.addTitle')
              : t('insurance.editTitle', { number: lastEdited.policyNumber })
        }
        size="lg"
        centered
      >
        {lastEdited !== null && (
          // A new form for each policy: its values start from the policy opened.
          <InsurancePolicyForm
            key={lastEdited === 'new' ? 'new' : lastEdited.id}
            {...(lastEdited === 'new' ? {} : { policy: lastEdited })}
            defaultCurrency={currency}
            onSubmit={save}
            onCancel={() => setEditing(null)}
          />
        )}
      </Modal>
    </Stack>
  );
}
