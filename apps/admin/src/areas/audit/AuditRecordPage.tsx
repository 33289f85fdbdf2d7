import { Anchor, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { api, unwrap } from '../../api/clients.ts';
import { QueryState } from '../../ui/QueryState.tsx';
import { AuditRecordView } from './AuditRecordView.tsx';
import { useActorNames } from '../../ui/useActorNames.ts';

/** `/audit/:id`: one record; the actor's name is looked up when the actor is a user the reader may see. */
export function AuditRecordPage() {
  const { t } = useTranslation('audit');
  const { id = '' } = useParams();
  const location = useLocation();
  const search = (location.state as { search?: string } | null)?.search ?? '';
  const query = useQuery({
    queryKey: ['audit', 'records', 'one', id],
    queryFn: () => unwrap(api.audit.GET('/v1/records/{id}', { params: { path: { id } } })),
  });
  const actorNames = useActorNames(query.data && query.data.actorName === null ? [query.data.actor] : []);

  return (
    <Stack>
      <Anchor component={Link} to={`/audit${search}`} size="sm">
        {t('record.back')}
      </Anchor>
      <Title order={2}>{t('record.title')}</Title>
      <QueryState query={query} isEmpty={() => false}>
        {(record) => <AuditRecordView record={record} actorName={actorNames[record.actor]} />}
      </QueryState>
    </Stack>
  );
}
