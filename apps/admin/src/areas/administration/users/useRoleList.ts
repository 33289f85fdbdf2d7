import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/clients.ts';
import { useSession } from '../../../auth/useSession.ts';

/**
 * Every role, for picking one to grant; undefined without `sso:roles:read`. One page of 200 is all of them in
 * practice (roles are a handful); more would show only the first 200 by name.
 */
export function useRoleList() {
  const { can } = useSession();
  const allowed = can('sso:roles:read');
  const query = useQuery({
    queryKey: ['sso', 'roles', 'list', 'all'],
    enabled: allowed,
    queryFn: async () =>
      (
        await unwrap(
          api.sso.GET('/v1/roles', { params: { query: { limit: 200, deleted: 'exclude', sort: 'name' } } }),
        )
      ).items,
  });
  return allowed ? query.data?.map((role) => ({ id: role.id, name: role.name })) : undefined;
}
