import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { useLocation, useNavigationType } from 'react-router';
import { renderWithProviders } from '../testing/render.tsx';
import { useCursorPager } from './DataTable.tsx';
import { useDebouncedFilter, useListFilters } from './useListFilters.ts';

const STATUSES = ['open', 'closed'] as const;

/** A list page in small: a status, a `from` year and a search in the address, and a cursor pager. */
function ListPage() {
  const location = useLocation();
  const navigationType = useNavigationType();
  // A list with more pages: "next" goes to the cursor `c2`.
  const pager = useCursorPager('c2');
  const filters = useListFilters({ onChange: pager.reset });
  const search = useDebouncedFilter(filters, 'q', 50);
  return (
    <>
      <output aria-label="address">{location.search}</output>
      <output aria-label="navigation">{navigationType}</output>
      <output aria-label="status">{filters.oneOf('status', STATUSES) ?? 'any'}</output>
      <output aria-label="from">{filters.valid('from', (value) => /^\d{4}$/.test(value)) ?? 'any'}</output>
      <output aria-label="term">{search.value}</output>
      <output aria-label="cursor">{pager.cursor ?? 'first page'}</output>
      <label>
        Search
        <input value={search.input} onChange={(event) => search.setInput(event.currentTarget.value)} />
      </label>
      <button onClick={pager.next}>Next page</button>
      <button onClick={() => filters.set('status', 'closed')}>Closed</button>
      <button onClick={() => filters.set('status', null)}>Any status</button>
      <button onClick={() => filters.set('from', '')}>Any year</button>
    </>
  );
}

const shown = (name: string) => screen.getByRole('status', { name }).textContent;

describe('useListFilters', { timeout: 30_000 }, () => {
  it('should read known values from the address and drop unknown ones', () => {
    renderWithProviders(<ListPage />, { path: '/list?status=robot&from=26&q=hof' });
    expect(shown('status')).toBe('any');
    expect(shown('from')).toBe('any');
    expect(screen.getByLabelText('Search')).toHaveProperty('value', 'hof');
    expect(shown('term')).toBe('hof');
  });

  it('should write a filter to the address in place of the entry, and start again at the first page', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ListPage />, { path: '/list?from=2026&tab=2' });
    expect(shown('from')).toBe('2026');
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(shown('cursor')).toBe('c2');

    await user.click(screen.getByRole('button', { name: 'Closed' }));
    expect(shown('status')).toBe('closed');
    expect(shown('address')).toBe('?from=2026&tab=2&status=closed');
    expect(shown('navigation')).toBe('REPLACE');
    expect(shown('cursor')).toBe('first page');
  });

  it('should remove a filter set to nothing or to an empty text', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ListPage />, { path: '/list?status=closed&from=2026&tab=2' });
    await user.click(screen.getByRole('button', { name: 'Any status' }));
    await user.click(screen.getByRole('button', { name: 'Any year' }));
    expect(shown('address')).toBe('?tab=2');
    expect(shown('status')).toBe('any');
    expect(shown('from')).toBe('any');
  });

  it('should write the search to the address once typing has paused, trimmed, and reset the pager', async () => {
    const user = userEvent.setup();
    renderWithProviders(<ListPage />, { path: '/list?status=open' });
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await user.type(screen.getByLabelText('Search'), '  Hof ');
    await waitFor(() => expect(shown('address')).toBe('?status=open&q=Hof'));
    expect(shown('term')).toBe('Hof');
    expect(shown('cursor')).toBe('first page');

    await user.clear(screen.getByLabelText('Search'));
    await waitFor(() => expect(shown('address')).toBe('?status=open'));
    expect(shown('term')).toBe('');
  });
});
