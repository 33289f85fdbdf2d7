import { Alert, Anchor, Button, Group, Modal, Select, Stack, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { ApiError, formFieldErrors } from '../../api/problem.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { ActorName } from '../../ui/ActorName.tsx';
import { DataTable, useCursorPager, type CursorPager } from '../../ui/DataTable.tsx';
import { useActorNames } from '../../ui/useActorNames.ts';
import { AssetStatusBadge } from './StatusBadge.tsx';
import {
  MANUAL_TRANSITIONS,
  type AssetStatus,
  type AssetStatusChange,
  type StatusChangeBody,
} from './types.ts';

/** The asset's status changes, newest first: by contract events (naming the contract) or by hand. */
export function StatusHistoryTable({
  rows,
  loading,
  error,
  onRetry,
  pager,
}: {
  rows: AssetStatusChange[] | undefined;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  pager?: CursorPager;
}) {
  const { t } = useTranslation('assets');
  const names = useActorNames(rows?.map((row) => row.actor) ?? []);
  return (
    <DataTable
      caption={t('statusHistory.caption')}
      rows={rows}
      rowKey={(row) => row.id}
      loading={loading}
      error={error}
      {...(onRetry ? { onRetry } : {})}
      {...(pager ? { pager } : {})}
      empty={t('statusHistory.empty')}
      columns={[
        { key: 'at', header: t('statusHistory.at'), render: (row) => formatDateTime(row.at) },
        {
          key: 'from',
          header: t('statusHistory.from'),
          render: (row) => (row.from ? <AssetStatusBadge status={row.from} /> : '—'),
        },
        { key: 'to', header: t('statusHistory.to'), render: (row) => <AssetStatusBadge status={row.to} /> },
        { key: 'reason', header: t('statusHistory.reason') },
        {
          key: 'contractId',
          header: t('statusHistory.contract'),
          render: (row) =>
            row.contractId ? (
              <Anchor component={Link} to={`/contracts/${row.contractId}`} size="sm">
                {t('statusHistory.openContract')}
              </Anchor>
            ) : (
              '—'
            ),
        },
        {
          key: 'actor',
          header: t('statusHistory.actor'),
          render: (row) => <ActorName actor={row.actor} name={names[row.actor]} />,
        },
      ]}
    />
  );
}

export function StatusHistoryTab({ assetId }: { assetId: string }) {
  const [nextCursor, setNextCursor] = useState<string | null | undefined>(undefined);
  const pager = useCursorPager(nextCursor);
  const query = useQuery({
    queryKey: ['assets', 'assets', assetId, 'status-history', pager.cursor],
    queryFn: () =>
      unwrap(
        api.assets.GET('/v1/assets/{id}/status-history', {
          params: {
            path: { id: assetId },
            query: { limit: 25, ...(pager.cursor ? { cursor: pager.cursor } : {}) },
          },
        }),
      ),
  });
  useEffect(() => setNextCursor(query.data?.nextCursor), [query.data]);
  return (
    <StatusHistoryTable
      rows={query.data?.items}
      loading={query.isPending}
      error={query.error}
      onRetry={() => void query.refetch()}
      pager={pager}
    />
  );
}

/**
 * A status change by hand: only the moves the guard table allows by hand are offered (the rest follow
 * contract events); the API's refusal is shown as it gave it.
 */
export function ChangeStatusButton({
  status,
  onSubmit,
}: {
  status: AssetStatus;
  onSubmit: (body: StatusChangeBody) => Promise<unknown>;
}) {
  const { t } = useTranslation('assets');
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState<AssetStatus | null>(null);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const targets = MANUAL_TRANSITIONS[status];
  if (targets.length === 0) return null;

  const close = () => {
    setOpen(false);
    setTarget(null);
    setReason('');
    setErrors({});
    setError(null);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!target) missing.status = t('form.required');
    if (reason.trim() === '') missing.reason = t('form.required');
    setErrors(missing);
    if (!target || Object.keys(missing).length > 0) return;
    setPending(true);
    setError(null);
    try {
      await onSubmit({ status: target, reason: reason.trim() });
      close();
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      setError(caught);
      setErrors(formFieldErrors(caught.problem));
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <Button variant="light" onClick={() => setOpen(true)}>
        {t('card.changeStatus')}
      </Button>
      <Modal opened={open} onClose={close} title={t('card.changeStatus')} centered>
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack gap="sm">
            {error && (
              <Alert color="red" role="alert" title={error.problem.title}>
                {error.problem.detail}
              </Alert>
            )}
            <Select
              label={t('card.newStatus')}
              required
              value={target}
              onChange={(value) => setTarget(value as AssetStatus | null)}
              data={targets.map((value) => ({ value, label: t(`status.${value}`) }))}
              error={errors.status}
            />
            <Textarea
              label={t('card.statusReason')}
              required
              rows={2}
              maxLength={500}
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value)}
              error={errors.reason}
            />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={close}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={pending}>
                {t('common:actions.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
