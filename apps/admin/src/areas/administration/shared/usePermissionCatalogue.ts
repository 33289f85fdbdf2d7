import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/clients.ts';

/** sso's permission catalogue, for the role editor and the client scopes; it changes only with a release. */
export function usePermissionCatalogue() {
  return useQuery({
    queryKey: ['sso', 'permissions'],
    staleTime: 10 * 60_000,
    queryFn: async () => (await unwrap(api.sso.GET('/v1/permissions'))).items,
  });
}
