import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '../../../testing/render.tsx';
import { billingTexts } from '../texts.ts';
import { BillingRunForm } from './BillingRunForm.tsx';

const texts = { billing: billingTexts };

describe('BillingRunForm', { timeout: 30_000 }, () => {
  it('should run up to the date chosen, today by default', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn();
    renderWithProviders(<BillingRunForm onSubmit={onSubmit} />, { texts });
    const upTo = screen.getByLabelText(/Up to/) as HTMLInputElement;
    expect(upTo.value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await user.click(screen.getByRole('button', { name: 'Issue due invoices' }));
    expect(onSubmit).toHaveBeenCalledWith(upTo.value);
  });

  it('should say that a run again issued nothing, and list what a run issued', () => {
    const { unmount } = renderWithProviders(
      <BillingRunForm
        onSubmit={() => undefined}
        result={{ upTo: '2026-11-30', count: 0, issued: [], skipped: [] }}
      />,
      { texts },
    );
    // jsdom's browser speaks en-US, so dates are written the American way.
    expect(screen.getByRole('status').textContent).toBe('Nothing was due for issue up to Nov 30, 2026.');
    unmount();

    renderWithProviders(
      <BillingRunForm
        onSubmit={() => undefined}
        result={{
          upTo: '2026-11-30',
          count: 1,
          issued: [
            {
              id: '01a2121c-1ffc-7319-8e43-38b6bcbd0273',
              number: 'INV-LESSOR-2026-000017',
              contractId: '01a2121c-1e42-703b-8dd4-0cff58e2e5c3',
              kind: 'installment',
              dueDate: '2026-12-01',
              total: { amount: '2110.27', currency: 'EUR' },
            },
          ],
          skipped: [],
        }}
      />,
      { texts, language: 'de' },
    );
    expect(screen.getByRole('status').textContent).toBe('1 Rechnung gestellt (zu stellen bis 30.11.2026).');
    const issued = screen.getByRole('table', { name: 'Gestellte Rechnungen' });
    expect(within(issued).getByText('INV-LESSOR-2026-000017')).toBeTruthy();
    expect(issued.textContent).toContain('2.110,27\u00a0€');
  });
});
