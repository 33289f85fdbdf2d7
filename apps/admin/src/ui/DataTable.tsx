import { Button, Group, ScrollArea, Table, Text, UnstyledButton } from '@mantine/core';
import {
  useMemo,
  useState,
  type KeyboardEvent,
  type MouseEvent,
  type ReactNode,
  type SyntheticEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyState, ErrorState, LoadingState } from './QueryState.tsx';

export interface Column<Row> {
  key: string;
  header: ReactNode;
  /** The cell; default: the row's property `key` as text. */
  render?: (row: Row) => ReactNode;
  /** Sorting by this column: on the server (`serverSort` of the table) or, without it, by this value. */
  sortValue?: (row: Row) => string | number;
  /** The API's sort key for this column, when the server sorts (`name` → `sort=name` / `sort=-name`). */
  sortKey?: string;
  align?: 'left' | 'right' | 'center';
}

export interface DataTableProps<Row> {
  columns: Column<Row>[];
  rows: Row[] | undefined;
  rowKey: (row: Row) => string;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  empty?: ReactNode;
  onRowClick?: (row: Row) => void;
  /** Server-side sort: the current sort (`name` or `-name`) and how to change it. */
  sort?: string | undefined;
  onSortChange?: (sort: string) => void;
  /** Cursor paging: see {@link useCursorPager}. */
  pager?: CursorPager;
  caption?: string;
}

/**
 * A table with loading, error and empty states; sortable columns (by the server when it sorts, else within
 * the page); cursor paging. Headers are buttons, so sorting works by keyboard; a clickable row takes the focus and
 * opens on Enter or Space.
 */
export function DataTable<Row>(props: DataTableProps<Row>) {
  const { t } = useTranslation();
  const [localSort, setLocalSort] = useState<string | undefined>(undefined);
  const sort = props.onSortChange ? props.sort : localSort;
  const rows = useMemo(() => {
    if (props.onSortChange || !localSort || !props.rows) return props.rows;
    const descending = localSort.startsWith('-');
    const column = props.columns.find((c) => c.key === localSort.replace(/^-/, ''));
    if (!column?.sortValue) return props.rows;
    const value = column.sortValue;
    return [...props.rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      const order =
        typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return descending ? -order : order;
    });
  }, [props.rows, props.columns, props.onSortChange, localSort]);

  const toggle = (column: Column<Row>) => {
    const key = props.onSortChange ? (column.sortKey ?? column.key) : column.key;
    const next = sort === key ? `-${key}` : key;
    if (props.onSortChange) props.onSortChange(next);
    else setLocalSort(next);
  };
  const sortable = (column: Column<Row>) =>
    props.onSortChange ? column.sortKey !== undefined : !!column.sortValue;
  const ariaSort = (column: Column<Row>): 'ascending' | 'descending' | undefined => {
    const key = props.onSortChange ? column.sortKey : column.key;
    if (!key || !sort) return undefined;
    if (sort === key) return 'ascending';
    return sort === `-${key}` ? 'descending' : undefined;
  };

  if (props.error)
    return <ErrorState error={props.error} {...(props.onRetry ? { onRetry: props.onRetry } : {})} />;
  return (
    <>
      <ScrollArea>
        <Table striped highlightOnHover={!!props.onRowClick} verticalSpacing="xs">
          {props.caption && <Table.Caption>{props.caption}</Table.Caption>}
          <Table.Thead>
            <Table.Tr>
              {props.columns.map((column) => (
                <Table.Th key={column.key} ta={column.align} aria-sort={ariaSort(column)}>
                  {sortable(column) ? (
                    <UnstyledButton
                      onClick={() => toggle(column)}
                      aria-label={t('table.sortBy', {
                        column: typeof column.header === 'string' ? column.header : column.key,
                      })}
                      fw={600}
                      fz="sm"
                    >
                      {column.header}
                      {ariaSort(column) === 'ascending'
                        ? ' ▲'
                        : ariaSort(column) === 'descending'
                          ? ' ▼'
                          : ''}
                    </UnstyledButton>
                  ) : (
                    column.header
                  )}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          {!props.loading && rows && rows.length > 0 && (
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr
                  key={props.rowKey(row)}
                  {...(props.onRowClick ? opensOnActivation(row, props.onRowClick) : {})}
                >
                  {props.columns.map((column) => (
                    <Table.Td key={column.key} ta={column.align}>
                      {column.render
                        ? column.render(row)
                        : String((row as Record<string, unknown>)[column.key] ?? '—')}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          )}
        </Table>
      </ScrollArea>
      {props.loading || !rows ? (
        <LoadingState />
      ) : rows.length === 0 ? (
        <EmptyState>{props.empty}</EmptyState>
      ) : null}
      {props.pager && <Pager pager={props.pager} />}
    </>
  );
}

/** What takes a click or a key itself: a control inside a row that opens something. */
const CONTROL = 'a, button, input, select, textarea, label, [role="button"], [role="link"], [tabindex]';

/**
 * Whether an event on a row is the row's own: not a control's inside it (a link, a button, its Enter), and not
 * one that reached the row from a portal (a menu's dropdown, a dialog opened from a cell).
 */
function onRowItself(event: SyntheticEvent<HTMLTableRowElement>): boolean {
  const target = event.target;
  if (!(target instanceof Element) || !event.currentTarget.contains(target)) return false;
  return target.closest(CONTROL) === event.currentTarget;
}

/**
 * What makes a row that opens something usable by keyboard: it takes the focus (Tab), shows it (app.css), and
 * opens on Enter or Space as on a click.
 */
function opensOnActivation<Row>(row: Row, open: (row: Row) => void) {
  return {
    tabIndex: 0,
    'data-opens': true,
    onClick: (event: MouseEvent<HTMLTableRowElement>) => {
      if (onRowItself(event)) open(row);
    },
    onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => {
      if (event.target !== event.currentTarget || (event.key !== 'Enter' && event.key !== ' ')) return;
      // Space would scroll the page.
      event.preventDefault();
      open(row);
    },
  };
}

/** Where a cursor-paged list is: the cursor of each page seen so far, so "previous" goes back exactly. */
export interface CursorPager {
  page: number;
  cursor: string | undefined;
  hasNext: boolean;
  next: () => void;
  previous: () => void;
  reset: () => void;
}

/** Cursor paging state for a list whose answers carry `nextCursor` (null on the last page). */
export function useCursorPager(nextCursor: string | null | undefined): CursorPager {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  return {
    page: cursors.length,
    cursor,
    hasNext: typeof nextCursor === 'string' && nextCursor.length > 0,
    next: () => {
      if (nextCursor) setCursors((stack) => [...stack, nextCursor]);
    },
    previous: () => setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack)),
    reset: () => setCursors([undefined]),
  };
}

function Pager({ pager }: { pager: CursorPager }) {
  const { t } = useTranslation();
  if (pager.page === 1 && !pager.hasNext) return null;
  return (
    <Group justify="flex-end" mt="sm" gap="xs">
      <Button size="xs" variant="default" disabled={pager.page === 1} onClick={pager.previous}>
        {t('table.previous')}
      </Button>
      <Text size="sm" aria-live="polite">
        {t('table.page', { page: pager.page })}
      </Text>
      <Button size="xs" variant="default" disabled={!pager.hasNext} onClick={pager.next}>
        {t('table.next')}
      </Button>
    </Group>
  );
}
