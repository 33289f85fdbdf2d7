import { useQueries } from '@tanstack/react-query';
import { api, unwrap } from '../api/clients.ts';
import { useSession } from '../auth/useSession.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The usernames of the actors that are users (a record names a user by id; clients as `client:<id>` and
 * `system` read well as they are). Looked up only for readers who may read users; deleted users included.
 * Each user is asked for once and kept for five minutes, however many tables name them (ADR 17).
 */
export function useActorNames(actors: readonly string[]): Record<string, string> {
  const { can } = useSession();
  const ids = can('sso:users:read') ? [...new Set(actors.filter((actor) => UUID.test(actor)))] : [];
  const users = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['sso', 'users', 'one', id, 'including-deleted'],
      staleTime: 5 * 60_000,
      queryFn: () =>
        unwrap(api.sso.GET('/v1/users/{id}', { params: { path: { id }, query: { includeDeleted: true } } })),
    })),
  });
  const names: Record<string, string> = {};
  users.forEach((user, index) => {
    if (user.data) names[ids[index]!] = user.data.username;
  });
  return names;
}
