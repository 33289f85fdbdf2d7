import { Anchor, Stack, Tabs } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { ApiError } from '../../api/problem.ts';
import { useSession } from '../../auth/useSession.ts';
import { HistoryTab } from '../../ui/HistoryTab.tsx';
import { ErrorState, LoadingState, errorMessage } from '../../ui/QueryState.tsx';
import { InvoicesTab, PaymentsTab } from './BillingTabs.tsx';
import { actorId } from './contract-actions.ts';
import { ContractActions, type ActionRequest } from './ContractActions.tsx';
import { ContractCard } from './ContractCard.tsx';
import { ScheduleTab } from './ScheduleTab.tsx';
import { StatusHistory } from './StatusHistory.tsx';
import { TerminationPanel } from './TerminationTab.tsx';
import {
  cardOf,
  type Contract,
  type ContractCardData,
  type PartStatus,
  type QuoteBody,
  type TerminationQuote,
} from './types.ts';

/** The entity type audit records contracts under (leasing publishes `lessor.leasing.contract.*`). */
const AUDIT_ENTITY_TYPE = 'contract';
const TABS_ID = 'contract-tabs';

/** A card with every part missing for the same reason: the composed read itself failed or is not allowed. */
function emptyCard(id: string, part: PartStatus): ContractCardData {
  return {
    id,
    contract: null,
    party: null,
    asset: null,
    schedule: null,
    parts: { contract: part, party: part, asset: part, schedule: part },
  };
}

/**
 * The contract card at `/contracts/:id`: the gateway's composed read (contract, party, asset, schedule
 * summary — each part possibly missing with its reason), the status actions, and the tabs. When the composed
 * read cannot give the contract (leasing slow within the gateway's deadline, or no right to the card), the
 * contract is read from leasing directly, so the card and its actions still work.
 */
export function ContractCardPage() {
  const { id = '' } = useParams();
  // A new contract is a new card: its tab and dialogs start afresh.
  return <ContractCardView key={id} id={id} />;
}

function ContractCardView({ id }: { id: string }) {
  const { t } = useTranslation('contracts');
  const { me, can } = useSession();
  const queryClient = useQueryClient();
  const [tab, setTab] = useState<string | null>('schedule');
  const mayReadCard = can('gateway:contract-cards:read');

  const cardQuery = useQuery({
    queryKey: ['gateway', 'contract-cards', id],
    queryFn: async () =>
      cardOf(await unwrap(api.gateway.GET('/v1/contract-cards/{id}', { params: { path: { id } } }))),
    enabled: mayReadCard,
  });
  const cardMissing =
    cardQuery.isError && !(cardQuery.error instanceof ApiError && cardQuery.error.status === 404);
  const needDirect =
    !mayReadCard || cardMissing || (cardQuery.data !== undefined && cardQuery.data.contract === null);
  const directQuery = useQuery({
    queryKey: ['leasing', 'contracts', id, 'direct'],
    queryFn: () =>
      unwrap(
        api.leasing.GET('/v1/contracts/{id}', {
          params: { path: { id }, query: { includeDeleted: false, names: 'fresh' } },
        }),
      ),
    enabled: needDirect,
  });

  const refresh = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['gateway', 'contract-cards', id] }),
      queryClient.invalidateQueries({ queryKey: ['leasing', 'contracts'] }),
      queryClient.invalidateQueries({ queryKey: ['billing'] }),
      queryClient.invalidateQueries({ queryKey: ['audit', 'records'] }),
    ]);
  };
  const done = (message: string) =>
    notifications.show({ color: 'green', message, closeButtonProps: { 'aria-label': t('dismiss') } });

  if (mayReadCard && cardQuery.isPending) return <LoadingState />;
  if (cardQuery.isError && !cardMissing) {
    return <ErrorState error={cardQuery.error} onRetry={() => void cardQuery.refetch()} />;
  }
  const card: ContractCardData = cardQuery.data
    ? cardQuery.data
    : emptyCard(
        id,
        mayReadCard
          ? { status: 'unavailable', reason: errorMessage(cardQuery.error, t('card.gatewayUnreachable')) }
          : { status: 'forbidden', reason: t('card.noCardPermission') },
      );
  const contract: Contract | undefined = card.contract ?? directQuery.data;
  if (!contract) {
    if (directQuery.isError)
      return <ErrorState error={directQuery.error} onRetry={() => void directQuery.refetch()} />;
    return <LoadingState />;
  }

  const run = async (request: ActionRequest) => {
    const path = { id: contract.id };
    switch (request.action) {
      case 'approve':
        await unwrap(
          api.leasing.POST('/v1/contracts/{id}/approve', { params: { path }, body: request.body }),
        );
        break;
      case 'reject':
        await unwrap(api.leasing.POST('/v1/contracts/{id}/reject', { params: { path }, body: request.body }));
        break;
      case 'sign':
        await unwrap(api.leasing.POST('/v1/contracts/{id}/sign', { params: { path }, body: request.body }));
        break;
      case 'activate':
        await unwrap(
          api.leasing.POST('/v1/contracts/{id}/activate', { params: { path }, body: request.body }),
        );
        break;
      case 'close':
        await unwrap(api.leasing.POST('/v1/contracts/{id}/close', { params: { path }, body: request.body }));
        break;
      case 'default':
        await unwrap(
          api.leasing.POST('/v1/contracts/{id}/default', { params: { path }, body: request.body }),
        );
        break;
      case 'restructure':
        await unwrap(
          api.leasing.POST('/v1/contracts/{id}/restructure', {
            params: { path, header: { 'if-match': `"${contract.version}"` } },
            body: request.body,
          }),
        );
        break;
    }
    done(t(`done.${request.action}`, { number: contract.number }));
    await refresh();
  };
  const quote = (body: QuoteBody) =>
    unwrap(
      api.leasing.POST('/v1/contracts/{id}/termination-quotes', {
        params: { path: { id: contract.id } },
        body,
      }),
    );
  const execute = async (terminationQuote: TerminationQuote) => {
    await unwrap(
      api.leasing.POST('/v1/contracts/{id}/terminate', {
        params: { path: { id: contract.id } },
        body: { quoteId: terminationQuote.id },
      }),
    );
    done(t('done.terminate', { number: contract.number }));
    await refresh();
  };
  const openTermination = () => {
    setTab('termination');
    // Move the keyboard focus to the tab the button opened, as a screen reader user expects.
    requestAnimationFrame(() => document.getElementById(`${TABS_ID}-tab-termination`)?.focus());
  };

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/contracts" size="sm">
        {t('card.back')}
      </Anchor>
      <ContractCard
        card={card}
        contract={contract}
        onReload={() => void cardQuery.refetch()}
        reloading={cardQuery.isFetching}
        actions={
          <ContractActions
            contract={contract}
            can={can}
            actor={actorId(me)}
            onRun={run}
            onTerminate={openTermination}
          />
        }
      />
      <Tabs id={TABS_ID} value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="schedule">{t('tabs.schedule')}</Tabs.Tab>
          {can('billing:invoices:read') && <Tabs.Tab value="invoices">{t('tabs.invoices')}</Tabs.Tab>}
          {can('billing:payments:read') && <Tabs.Tab value="payments">{t('tabs.payments')}</Tabs.Tab>}
          <Tabs.Tab value="termination">{t('tabs.termination')}</Tabs.Tab>
          <Tabs.Tab value="history">{t('tabs.history')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="schedule" pt="md">
          <ScheduleTab
            key={contract.scheduleVersion}
            contractId={contract.id}
            currentVersion={contract.scheduleVersion}
          />
        </Tabs.Panel>
        {can('billing:invoices:read') && (
          <Tabs.Panel value="invoices" pt="md">
            <InvoicesTab contractId={contract.id} />
          </Tabs.Panel>
        )}
        {can('billing:payments:read') && (
          <Tabs.Panel value="payments" pt="md">
            <PaymentsTab contractId={contract.id} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="termination" pt="md">
          <TerminationPanel
            key={`${contract.status}-${contract.scheduleVersion}`}
            status={contract.status}
            allowed={can('leasing:contracts:terminate')}
            onQuote={quote}
            onExecute={execute}
          />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <Stack gap="lg">
            <StatusHistory contractId={contract.id} />
            <HistoryTab entityType={AUDIT_ENTITY_TYPE} entityId={contract.id} />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
