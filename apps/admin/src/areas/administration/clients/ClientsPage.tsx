import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import { usePagedQuery } from '../../../ui/usePagedQuery.ts';
import { ifMatch } from '../shared/forms.ts';
import { usePermissionCatalogue } from '../shared/usePermissionCatalogue.ts';
import type { ClientValues } from './ClientForm.tsx';
import { ClientsView, type ServiceClient } from './ClientsView.tsx';

/**
 * `/administration/clients`. The answers that carry a secret (create, rotate) go to the view once and are
 * never put in the query cache: the list is read again, without secrets.
 */
export function ClientsPage() {
  const { can } = useSession();
  const client = useQueryClient();
  const catalogue = usePermissionCatalogue();
  const { query: list, pager } = usePagedQuery(['sso', 'clients', 'list'], (cursor) =>
    unwrap(
      api.sso.GET('/v1/clients', {
        params: { query: { limit: 50, deleted: 'exclude', sort: 'clientId', ...(cursor ? { cursor } : {}) } },
      }),
    ),
  );
  const refresh = () => client.invalidateQueries({ queryKey: ['sso', 'clients'] });
  // Plain mutations without retained results: `mutateAsync` hands the answer to the view and nothing keeps it.
  const create = useMutation({
    mutationFn: (values: ClientValues) => unwrap(api.sso.POST('/v1/clients', { body: values })),
    gcTime: 0,
  });
  const update = useMutation({
    mutationFn: ({ target, values }: { target: ServiceClient; values: ClientValues }) =>
      unwrap(
        api.sso.PATCH('/v1/clients/{id}', {
          params: { path: { id: target.id }, header: ifMatch(target.version) },
          body: { name: values.name, scopes: values.scopes, active: values.active },
        }),
      ),
  });
  const rotate = useMutation({
    mutationFn: (target: ServiceClient) =>
      unwrap(
        api.sso.POST('/v1/clients/{id}/secret', {
          params: { path: { id: target.id }, header: ifMatch(target.version) },
        }),
      ),
    gcTime: 0,
  });

  return (
    <ClientsView
      clients={list.data?.items}
      loading={list.isPending}
      error={list.error}
      onRetry={() => void list.refetch()}
      pager={pager}
      canWrite={can('sso:clients:write')}
      catalogue={catalogue.data ?? []}
      onCreate={async (values) => {
        const created = await create.mutateAsync(values);
        create.reset();
        void refresh();
        return { clientId: created.clientId, clientSecret: created.clientSecret };
      }}
      onUpdate={async (target, values) => {
        await update.mutateAsync({ target, values });
        await refresh();
      }}
      onRotate={async (target) => {
        const rotated = await rotate.mutateAsync(target);
        rotate.reset();
        void refresh();
        return { clientId: rotated.clientId, clientSecret: rotated.clientSecret };
      }}
    />
  );
}
