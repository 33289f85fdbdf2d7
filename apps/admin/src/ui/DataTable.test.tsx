import { Button } from '@mantine/core';
import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../testing/render.tsx';
import { DataTable, type Column } from './DataTable.tsx';

interface Lessee {
  id: string;
  name: string;
  city: string;
}

const rows: Lessee[] = [
  { id: 'b', name: 'Nordlicht Logistik', city: 'Hamburg' },
  { id: 'a', name: 'Alpen Bau', city: 'München' },
];
const columns: Column<Lessee>[] = [
  { key: 'name', header: 'Name', sortValue: (row) => row.name },
  { key: 'city', header: 'City' },
];

describe('DataTable', { timeout: 60_000 }, () => {
  it('should let a row that opens something take the focus by Tab and open on Enter and on Space', async () => {
    const user = userEvent.setup();
    const onRowClick = vi.fn();
    renderWithProviders(
      <DataTable
        caption="Lessees"
        columns={columns}
        rows={rows}
        rowKey={(row) => row.id}
        onRowClick={onRowClick}
      />,
    );
    let scrolled = false;
    const scrolls = (event: KeyboardEvent) => {
      if (event.key === ' ' && !event.defaultPrevented) scrolled = true;
    };
    document.addEventListener('keydown', scrolls);

    // The sort button of the name column first, then the rows in their order.
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sort by Name' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('row', { name: /Nordlicht Logistik/ }));
    await user.keyboard('{Enter}');
    expect(onRowClick).toHaveBeenLastCalledWith(rows[0]);

    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('row', { name: /Alpen Bau/ }));
    await user.keyboard(' ');
    expect(onRowClick).toHaveBeenLastCalledWith(rows[1]);
    // Space opens the row instead of scrolling the page.
    expect(scrolled).toBe(false);
    expect(onRowClick).toHaveBeenCalledTimes(2);
    // Marked for its focus ring and pointer (app.css).
    expect(screen.getByRole('row', { name: /Alpen Bau/ }).getAttribute('data-opens')).toBe('true');
    document.removeEventListener('keydown', scrolls);
  });

  it('should leave a click or a key on a button inside a row to the button, and open the row on a click elsewhere', async () => {
    const user = userEvent.setup();
    const onRowClick = vi.fn();
    const onRemind = vi.fn();
    renderWithProviders(
      <DataTable
        columns={[
          ...columns,
          {
            key: 'action',
            header: 'Action',
            render: (row) => <Button onClick={() => onRemind(row.id)}>Remind</Button>,
          },
        ]}
        rows={rows.slice(0, 1)}
        rowKey={(row) => row.id}
        onRowClick={onRowClick}
      />,
    );
    await user.tab(); // the sort button
    await user.tab(); // the row: keys other than Enter and Space do nothing
    await user.keyboard('a{ArrowDown}{Escape}');
    expect(onRowClick).not.toHaveBeenCalled();
    await user.tab(); // the button in it
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remind' }));
    await user.keyboard('{Enter}');
    await user.click(screen.getByRole('button', { name: 'Remind' }));
    expect(onRemind.mock.calls).toEqual([['b'], ['b']]);
    expect(onRowClick).not.toHaveBeenCalled();

    await user.click(screen.getByText('Hamburg'));
    expect(onRowClick).toHaveBeenCalledWith(rows[0]);
  });

  it('should not put rows that open nothing in the tab order', async () => {
    const user = userEvent.setup();
    renderWithProviders(<DataTable columns={columns} rows={rows} rowKey={(row) => row.id} />);
    for (const row of screen.getAllByRole('row').slice(1)) {
      expect(row.hasAttribute('tabindex')).toBe(false);
      expect(row.hasAttribute('data-opens')).toBe(false);
    }
    // Only the sort button is reached; the next Tab leaves the table.
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Sort by Name' }));
    await user.tab();
    expect(document.activeElement).toBe(document.body);
  });

  it('should sort by a header by keyboard, ascending then descending, and say so to assistive technology', async () => {
    const user = userEvent.setup();
    renderWithProviders(<DataTable columns={columns} rows={rows} rowKey={(row) => row.id} />);
    const names = () =>
      screen
        .getAllByRole('row')
        .slice(1)
        .map((row) => row.textContent);
    const header = () => screen.getByRole('columnheader', { name: /Name/ });

    await user.tab();
    await user.keyboard('{Enter}');
    expect(names()).toEqual(['Alpen BauMünchen', 'Nordlicht LogistikHamburg']);
    expect(header().getAttribute('aria-sort')).toBe('ascending');
    await user.keyboard(' ');
    expect(names()).toEqual(['Nordlicht LogistikHamburg', 'Alpen BauMünchen']);
    expect(header().getAttribute('aria-sort')).toBe('descending');
  });
});
