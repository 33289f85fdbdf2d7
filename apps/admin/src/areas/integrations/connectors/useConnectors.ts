import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';
import type { ConnectorListItem } from '../types.ts';

/**
 * Every connector, deleted ones included (a run or a conflict may name one), for choices and for naming a
 * connector by its name; an installation has a handful. Empty for a user who may not read connectors.
 */
export function useConnectors(): { connectors: ConnectorListItem[]; nameOf: (id: string) => string | null } {
  const { can } = useSession();
  const query = useQuery({
    queryKey: ['integration', 'connectors', 'all'],
    enabled: can('integration:connectors:read'),
    staleTime: 60_000,
    queryFn: () =>
      unwrap(
        api.integration.GET('/v1/connectors', { params: { query: { limit: 100, deleted: 'include' } } }),
      ),
  });
  const connectors = query.data?.items ?? [];
  return {
    connectors,
    nameOf: (id) => connectors.find((connector) => connector.id === id)?.name ?? null,
  };
}
