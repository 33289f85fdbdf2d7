import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { useSession } from '../../auth/useSession.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { ActorName } from '../../ui/ActorName.tsx';
import { DataTable, useCursorPager } from '../../ui/DataTable.tsx';
import { HistoryTab } from '../../ui/HistoryTab.tsx';
import { QueryState } from '../../ui/QueryState.tsx';
import { useActorNames } from '../../ui/useActorNames.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { countryName } from './countries.ts';
import { KycDecisionDialog, type KycDecision } from './KycDecisionDialog.tsx';
import { DeletedBadge, KycBadge } from './PartyBadges.tsx';
import { ifMatch, KYC_NEXT, PARTY_AUDIT_ENTITY, type Party } from './types.ts';

/** `parties/:id`: a party's data, its KYC history and its audit history; edit, delete, restore, KYC. */
export function PartyCardPage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['parties', 'party', id],
    // An admin opens a deleted party too, to restore it.
    queryFn: () =>
      unwrap(
        api.parties.GET('/v1/parties/{id}', {
          params: { path: { id }, query: { includeDeleted: true } },
        }),
      ),
  });
  return (
    <QueryState query={query} isEmpty={() => false}>
      {(party) => <PartyCard party={party} />}
    </QueryState>
  );
}

type Dialog = 'delete' | 'restore' | 'kyc' | null;

export function PartyCard({ party }: { party: Party }) {
  const { t, i18n } = useTranslation('parties');
  const { can } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const canWrite = can('parties:parties:write');
  const deleted = party.deletedAt !== null;

  const done = async (message: string) => {
    await queryClient.invalidateQueries({ queryKey: ['parties'] });
    await queryClient.invalidateQueries({ queryKey: ['audit', 'records', PARTY_AUDIT_ENTITY, party.id] });
    notifications.show({ color: 'green', message });
    setDialog(null);
  };
  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.parties.DELETE('/v1/parties/{id}', {
          params: { path: { id: party.id }, header: { 'if-match': ifMatch(party) } },
        }),
      ),
    onSuccess: () => done(t('confirmDelete.done')),
  });
  const restore = useMutation({
    mutationFn: () =>
      unwrap(api.parties.POST('/v1/parties/{id}/restore', { params: { path: { id: party.id } } })),
    onSuccess: () => done(t('confirmRestore.done')),
  });
  const decide = useMutation({
    mutationFn: (decision: KycDecision) =>
      unwrap(
        api.parties.POST('/v1/parties/{id}/kyc', {
          params: { path: { id: party.id }, header: { 'if-match': ifMatch(party) } },
          body: decision,
        }),
      ),
    onSuccess: () => done(t('kycDecision.done')),
  });
  const open = (which: Dialog) => {
    remove.reset();
    restore.reset();
    decide.reset();
    setDialog(which);
  };

  return (
    <Stack>
      <Anchor component={Link} to="/parties" size="sm">
        ← {t('card.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={2}>{party.name}</Title>
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t(`kind.${party.kind}`)}
            </Text>
            <KycBadge status={party.kycStatus} />
            {deleted && <DeletedBadge />}
          </Group>
        </Stack>
        <Group gap="xs">
          {canWrite && !deleted && (
            <Button variant="default" onClick={() => void navigate(`/parties/${party.id}/edit`)}>
              {t('common:actions.edit')}
            </Button>
          )}
          {can('parties:kyc:write') && !deleted && KYC_NEXT[party.kycStatus].length > 0 && (
            <Button variant="default" onClick={() => open('kyc')}>
              {t('kycDecision.open')}
            </Button>
          )}
          {canWrite && !deleted && (
            <Button color="red" variant="light" onClick={() => open('delete')}>
              {t('common:actions.delete')}
            </Button>
          )}
          {canWrite && deleted && (
            <Button onClick={() => open('restore')}>{t('common:actions.restore')}</Button>
          )}
        </Group>
      </Group>
      {deleted && (
        <Alert color="orange">{t('card.deletedNotice', { date: formatDateTime(party.deletedAt) })}</Alert>
      )}

      <Tabs defaultValue="details" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="details">{t('card.details')}</Tabs.Tab>
          <Tabs.Tab value="kyc">{t('card.kycHistory')}</Tabs.Tab>
          {can('audit:records:read') && <Tabs.Tab value="history">{t('card.history')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="details" pt="md">
          <PartyDetails party={party} language={i18n.language} />
        </Tabs.Panel>
        <Tabs.Panel value="kyc" pt="md">
          <KycHistory partyId={party.id} />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <HistoryTab entityType={PARTY_AUDIT_ENTITY} entityId={party.id} />
        </Tabs.Panel>
      </Tabs>

      <ConfirmDialog
        opened={dialog === 'delete'}
        title={t('confirmDelete.title')}
        text={t('confirmDelete.text', { name: party.name })}
        color="red"
        destructive
        onConfirm={() => remove.mutate()}
        onClose={() => setDialog(null)}
        pending={remove.isPending}
        error={remove.error}
      />
      <ConfirmDialog
        opened={dialog === 'restore'}
        title={t('confirmRestore.title')}
        text={t('confirmRestore.text', { name: party.name })}
        onConfirm={() => restore.mutate()}
        onClose={() => setDialog(null)}
        pending={restore.isPending}
        error={restore.error}
      />
      {/* Always rendered, opened and closed: Mantine then knows where to give the focus back. */}
      <KycDecisionDialog
        party={party}
        opened={dialog === 'kyc'}
        onClose={() => setDialog(null)}
        onSubmit={(decision) => decide.mutate(decision)}
        pending={decide.isPending}
        error={decide.error}
      />
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{children === null || children === '' ? '—' : children}</Text>
    </div>
  );
}

function PartyDetails({ party, language }: { party: Party; language: string }) {
  const { t } = useTranslation('parties');
  return (
    <Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {party.kind === 'company' ? (
          <>
            <Field label={t('fields.legalName')}>{party.name}</Field>
            <Field label={t('fields.legalForm')}>{party.legalForm}</Field>
            <Field label={t('fields.registrationNumber')}>{party.registrationNumber}</Field>
          </>
        ) : (
          <>
            <Field label={t('fields.fullName')}>{party.name}</Field>
            <Field label={t('fields.firstName')}>{party.firstName}</Field>
            <Field label={t('fields.lastName')}>{party.lastName}</Field>
          </>
        )}
        <Field
          label={t('fields.country')}
        >{`${countryName(party.country, language)} (${party.country})`}</Field>
        <Field label={t('fields.taxId')}>{party.taxId}</Field>
        <Field label={t('fields.email')}>{party.email}</Field>
        <Field label={t('fields.phone')}>{party.phone}</Field>
        <Field label={t('card.created')}>{formatDateTime(party.createdAt)}</Field>
        <Field label={t('card.updated')}>{formatDateTime(party.updatedAt)}</Field>
      </SimpleGrid>

      <Title order={3} size="h4">
        {t('addresses.title')}
      </Title>
      {party.addresses.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('addresses.none')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {party.addresses.map((address, index) => (
            <Card key={index} withBorder padding="sm">
              <Text size="xs" c="dimmed">
                {t(`addresses.types.${address.type}`)}
              </Text>
              <Text size="sm">{address.line1}</Text>
              {address.line2 && <Text size="sm">{address.line2}</Text>}
              <Text size="sm">
                {address.postalCode} {address.city}
              </Text>
              <Text size="sm">{countryName(address.country, language)}</Text>
            </Card>
          ))}
        </SimpleGrid>
      )}

      <Title order={3} size="h4">
        {t('contacts.title')}
      </Title>
      {party.contacts.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('contacts.none')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {party.contacts.map((contact, index) => (
            <Card key={index} withBorder padding="sm">
              <Text size="sm" fw={500}>
                {contact.name}
              </Text>
              {contact.role && (
                <Text size="xs" c="dimmed">
                  {contact.role}
                </Text>
              )}
              {contact.email && <Text size="sm">{contact.email}</Text>}
              {contact.phone && <Text size="sm">{contact.phone}</Text>}
            </Card>
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function KycHistory({ partyId }: { partyId: string }) {
  const { t } = useTranslation('parties');
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const pager = useCursorPager(nextCursor);
  const query = useQuery({
    queryKey: ['parties', 'kyc-history', partyId, pager.cursor],
    queryFn: () =>
      unwrap(
        api.parties.GET('/v1/parties/{id}/kyc-history', {
          params: {
            path: { id: partyId },
            query: { limit: 25, includeDeleted: true, ...(pager.cursor ? { cursor: pager.cursor } : {}) },
          },
        }),
      ),
  });
  useEffect(() => setNextCursor(query.data?.nextCursor ?? null), [query.data]);
  const names = useActorNames(query.data?.items.map((entry) => entry.actor) ?? []);
  return (
    <DataTable
      caption={t('kycHistory.caption')}
      rows={query.data?.items}
      rowKey={(entry) => entry.id}
      loading={query.isPending}
      error={query.error}
      onRetry={() => void query.refetch()}
      empty={t('kycHistory.empty')}
      pager={pager}
      columns={[
        { key: 'at', header: t('kycHistory.at'), render: (entry) => formatDateTime(entry.at) },
        {
          key: 'from',
          header: t('kycHistory.from'),
          render: (entry) => (entry.from ? t(`kyc.${entry.from}`) : t('kycHistory.created')),
        },
        { key: 'status', header: t('kycHistory.to'), render: (entry) => <KycBadge status={entry.status} /> },
        { key: 'reason', header: t('kycHistory.reason'), render: (entry) => entry.reason },
        {
          key: 'actor',
          header: t('kycHistory.actor'),
          render: (entry) => <ActorName actor={entry.actor} name={names[entry.actor]} />,
        },
      ]}
    />
  );
}
