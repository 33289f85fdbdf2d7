import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../../api/clients.ts';
import type { CursorPager } from '../../../ui/DataTable.tsx';
import { runUnderWay, type RunPage, type RunStatus } from '../types.ts';

/** How often a page showing a run under way asks again. */
export const POLL_MS = 1_000;
const PAGE_SIZE = 25;

/**
 * A page of runs (of one connector, or all), newest first; asked again every second while one of them is
 * under way, so its progress moves and its end shows.
 */
export function useRuns(filter: { connectorId?: string; status?: RunStatus }): {
  query: ReturnType<typeof useQuery<RunPage>>;
  pager: CursorPager;
} {
  const key = JSON.stringify(filter);
  const [stack, setStack] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key,
    cursors: [undefined],
  });
  const cursors = stack.key === key ? stack.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const query = useQuery<RunPage>({
    queryKey: ['integration', 'runs', 'list', filter, cursor ?? null],
    queryFn: () =>
      unwrap(
        api.integration.GET('/v1/runs', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(filter.connectorId ? { connectorId: filter.connectorId } : {}),
              ...(filter.status ? { status: filter.status } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    refetchInterval: (current) => (current.state.data?.items.some(runUnderWay) ? POLL_MS : false),
  });
  const nextCursor = query.data?.nextCursor;
  const pager: CursorPager = {
    page: cursors.length,
    cursor,
    hasNext: typeof nextCursor === 'string' && nextCursor.length > 0,
    next: () => {
      if (nextCursor) setStack({ key, cursors: [...cursors, nextCursor] });
    },
    previous: () => setStack({ key, cursors: cursors.length > 1 ? cursors.slice(0, -1) : cursors }),
    reset: () => setStack({ key, cursors: [undefined] }),
  };
  return { query, pager };
}
