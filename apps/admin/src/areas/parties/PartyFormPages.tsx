import { Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { QueryState } from '../../ui/QueryState.tsx';
import { createPartyBody, updatePartyBody, type PartyFormValues } from './party-form.ts';
import { PartyForm } from './PartyForm.tsx';
import { ifMatch, type Party } from './types.ts';

/** `parties/new`: the form for a new company or person; the card opens once it is saved. */
export function PartyCreatePage() {
  const { t } = useTranslation('parties');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (values: PartyFormValues) =>
      unwrap(api.parties.POST('/v1/parties', { body: createPartyBody(values) })),
    onSuccess: async (party) => {
      await queryClient.invalidateQueries({ queryKey: ['parties'] });
      notifications.show({ color: 'green', message: t('form.created') });
      void navigate(`/parties/${party.id}`);
    },
  });
  return (
    <Stack maw={960}>
      <Title order={2}>{t('newTitle')}</Title>
      <PartyForm
        onSubmit={(values) => create.mutate(values)}
        onCancel={() => void navigate('/parties')}
        error={create.error}
        submitting={create.isPending}
      />
    </Stack>
  );
}

/** `parties/:id/edit`: changes the sent fields of the version that was read (If-Match). */
export function PartyEditPage() {
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: ['parties', 'party', id],
    queryFn: () =>
      unwrap(
        api.parties.GET('/v1/parties/{id}', {
          params: { path: { id }, query: { includeDeleted: true } },
        }),
      ),
  });
  return (
    <QueryState query={query} isEmpty={() => false}>
      {(party) => <EditParty key={party.version} party={party} />}
    </QueryState>
  );
}

function EditParty({ party }: { party: Party }) {
  const { t } = useTranslation('parties');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (values: PartyFormValues) =>
      unwrap(
        api.parties.PATCH('/v1/parties/{id}', {
          params: { path: { id: party.id }, header: { 'if-match': ifMatch(party) } },
          body: updatePartyBody(values, party),
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['parties'] });
      notifications.show({ color: 'green', message: t('form.saved') });
      void navigate(`/parties/${party.id}`);
    },
  });
  const close = () => void navigate(`/parties/${party.id}`);
  return (
    <Stack maw={960}>
      <Title order={2}>{t('editTitle', { name: party.name })}</Title>
      <PartyForm
        party={party}
        onSubmit={(values) => {
          // PATCH needs at least one field: with nothing changed there is nothing to send.
          if (Object.keys(updatePartyBody(values, party)).length === 0) {
            notifications.show({ message: t('form.nothingChanged') });
            close();
          } else update.mutate(values);
        }}
        onCancel={close}
        error={update.error}
        submitting={update.isPending}
      />
    </Stack>
  );
}
