import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import type { CursorPager } from './DataTable.tsx';

/**
 * A cursor-paged list for a DataTable: the page at the pager's cursor, queried under `key` (the filters and
 * sort). The next cursor is the one the page shown names, also when that page came from the cache (a cursor
 * kept from the last fetch would skip a page after "previous"). The cursors seen belong to the key they were
 * made for: another key starts again at the first page (a cursor of one query means nothing to another).
 */
export function usePagedQuery<Page extends { nextCursor: string | null }>(
  key: readonly unknown[],
  fetchPage: (cursor: string | undefined) => Promise<Page>,
  options: { enabled?: boolean } = {},
): { query: UseQueryResult<Page>; pager: CursorPager } {
  const filterKey = JSON.stringify(key);
  const [stack, setStack] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: filterKey,
    cursors: [undefined],
  });
  const cursors = stack.key === filterKey ? stack.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: [...key, cursor ?? null],
    queryFn: () => fetchPage(cursor),
    enabled: options.enabled ?? true,
  });
  const nextCursor = query.data?.nextCursor;
  const pager: CursorPager = {
    page: cursors.length,
    cursor,
    hasNext: typeof nextCursor === 'string' && nextCursor.length > 0 && !query.isFetching,
    next: () => {
      if (nextCursor) setStack({ key: filterKey, cursors: [...cursors, nextCursor] });
    },
    previous: () =>
      setStack({ key: filterKey, cursors: cursors.length > 1 ? cursors.slice(0, -1) : cursors }),
    reset: () => setStack({ key: filterKey, cursors: [undefined] }),
  };
  return { query, pager };
}
