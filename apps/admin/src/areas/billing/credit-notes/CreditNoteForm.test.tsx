import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/problem.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import type { CreditNoteRequest } from '../common/types.ts';
import { billingTexts } from '../texts.ts';
import { CreditNoteForm } from './CreditNoteForm.tsx';

const texts = { billing: billingTexts };
const eur = (amount: string) => ({ amount, currency: 'EUR' });
const lines = [
  { position: 1, kind: 'principal', description: 'Installment 1 of 12: principal', amount: eur('1630.38') },
  { position: 2, kind: 'interest', description: 'Installment 1 of 12: interest', amount: eur('142.96') },
  { position: 3, kind: 'vat', description: 'Installment 1 of 12: VAT', amount: eur('336.93') },
];

function errorOf(input: HTMLElement): string | null {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  const messages = ids
    .map((id) => document.getElementById(id))
    .filter((element) => element?.className.includes('error'))
    .map((element) => element?.textContent ?? '');
  return messages.length > 0 ? messages.join(' ') : null;
}

describe('CreditNoteForm', { timeout: 30_000 }, () => {
  it('should credit the whole invoice with a reason, and ask for the reason first', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn();
    renderWithProviders(<CreditNoteForm lines={lines} onSubmit={onSubmit} />, { texts });
    await user.click(screen.getByRole('button', { name: 'Issue credit note' }));
    expect(errorOf(screen.getByLabelText(/^Reason/))).toBe('Say why the invoice is corrected.');
    expect(onSubmit).not.toHaveBeenCalled();
    await user.click(screen.getByLabelText(/^Reason/));
    await user.paste('Wrong VAT rate');
    await user.click(screen.getByRole('button', { name: 'Issue credit note' }));
    expect(onSubmit).toHaveBeenCalledWith({ reason: 'Wrong VAT rate' });
  });

  it('should credit chosen lines, an empty amount meaning all that is left of the line', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn();
    renderWithProviders(<CreditNoteForm lines={lines} onSubmit={onSubmit} />, { texts });
    await user.click(screen.getByLabelText(/^Reason/));
    await user.paste('Fee waived');
    await user.click(screen.getByRole('radio', { name: 'Chosen lines' }));
    await user.click(screen.getByRole('checkbox', { name: 'Credit line 1' }));
    await user.click(screen.getByRole('checkbox', { name: 'Credit line 3' }));
    await user.click(screen.getByLabelText('Amount to credit on line 3'));
    await user.paste('10,5');
    await user.click(screen.getByRole('button', { name: 'Issue credit note' }));
    expect(onSubmit).toHaveBeenCalledWith({
      reason: 'Fee waived',
      lines: [{ position: 1 }, { position: 3, amount: '10.5' }],
    });
  });

  it('should show a refused line amount beside the line the API means (its index in the lines sent)', async () => {
    const user = userEvent.setup({ delay: null });
    // As the page does: the API refuses the request, and the form is given the positions it sent.
    const refusal = new ApiError({
      title: 'The credit note is not valid',
      status: 422,
      code: 'CREDIT_NOTE_INVALID',
      errors: [{ field: '/body/lines/1/amount', message: 'more than the 336.93 left of line 3' }],
    });
    function Page() {
      const [sent, setSent] = useState<CreditNoteRequest | null>(null);
      return (
        <CreditNoteForm
          lines={lines}
          onSubmit={setSent}
          error={sent ? refusal : undefined}
          submittedPositions={sent?.lines?.map((line) => line.position) ?? []}
        />
      );
    }
    renderWithProviders(<Page />, { texts });
    await user.click(screen.getByLabelText(/^Reason/));
    await user.paste('Fee waived');
    await user.click(screen.getByRole('radio', { name: 'Chosen lines' }));
    await user.click(screen.getByRole('checkbox', { name: 'Credit line 1' }));
    await user.click(screen.getByRole('checkbox', { name: 'Credit line 3' }));
    await user.click(screen.getByRole('button', { name: 'Issue credit note' }));
    expect(errorOf(screen.getByLabelText('Amount to credit on line 3'))).toBe(
      'more than the 336.93 left of line 3',
    );
    expect(errorOf(screen.getByLabelText('Amount to credit on line 1'))).toBeNull();
  });
});
