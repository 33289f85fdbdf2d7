import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/problem.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { billingTexts } from '../texts.ts';
import { PaymentForm, paymentRequest } from './PaymentForm.tsx';

const texts = { billing: billingTexts };

/** The message Mantine shows under an input (linked by aria-describedby). */
function errorOf(input: HTMLElement): string | null {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
  const messages = ids
    .map((id) => document.getElementById(id))
    .filter((element) => element?.className.includes('error'))
    .map((element) => element?.textContent ?? '');
  return messages.length > 0 ? messages.join(' ') : null;
}

// Typing into a Mantine form re-renders it per event: on a busy machine that takes seconds, not a hang.
describe('PaymentForm', { timeout: 30_000 }, () => {
  it('should show what is missing beside each field and not submit when the amount is empty or malformed', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn();
    renderWithProviders(<PaymentForm onSubmit={onSubmit} />, { texts });

    fireEvent.change(screen.getByLabelText(/Value date/), { target: { value: '' } });
    await user.click(screen.getByRole('button', { name: 'Register payment' }));

    expect(errorOf(screen.getByLabelText(/Amount/))).toBe('Enter the amount received.');
    expect(errorOf(screen.getByLabelText(/Value date/))).toBe('Enter a date.');
    expect(errorOf(screen.getByLabelText(/^Reference/))).toBeNull();
    expect(onSubmit).not.toHaveBeenCalled();

    await user.click(screen.getByLabelText(/Amount/));
    await user.paste('1.250,00');
    await user.click(screen.getByRole('button', { name: 'Register payment' }));
    expect(errorOf(screen.getByLabelText(/Amount/))).toMatch(/no thousands separators/);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('should send the amount exactly as typed, a decimal comma as a point, with the currency when given', async () => {
    const user = userEvent.setup({ delay: null });
    const onSubmit = vi.fn();
    renderWithProviders(<PaymentForm onSubmit={onSubmit} />, { texts });

    const fill = async (label: RegExp, text: string) => {
      await user.click(screen.getByLabelText(label));
      await user.paste(text);
    };
    await fill(/Contract/, '01a2121c-0d46-73c8-8906-818e447dc3f7');
    await fill(/Amount/, '1250,5');
    await fill(/Currency/, 'eur');
    fireEvent.change(screen.getByLabelText(/Value date/), { target: { value: '2026-11-02' } });
    await fill(/^Reference/, ' LC LESSOR 2026 000001 59 ');
    await user.click(screen.getByRole('button', { name: 'Register payment' }));

    expect(onSubmit).toHaveBeenCalledWith({
      contractId: '01a2121c-0d46-73c8-8906-818e447dc3f7',
      amount: { amount: '1250.5', currency: 'EUR' },
      valueDate: '2026-11-02',
      reference: 'LC LESSOR 2026 000001 59',
    });
  });

  it('should show the API field errors beside their fields and the rest at the top', async () => {
    const error = new ApiError({
      title: 'The request is not valid',
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [
        { field: '/body/amount', message: 'amount has more than 2 decimals for EUR' },
        { field: '/body/valueDate', message: 'must match format "date"' },
        { field: '/body/contractId', message: 'no contract billing has seen activated' },
        { field: '/headers/idempotency-key', message: 'must be 8-255 visible ASCII characters' },
      ],
    });
    renderWithProviders(<PaymentForm onSubmit={() => undefined} error={error} />, { texts });

    await waitFor(() =>
      expect(errorOf(screen.getByLabelText(/Amount/))).toBe('amount has more than 2 decimals for EUR'),
    );
    expect(errorOf(screen.getByLabelText(/Value date/))).toBe('must match format "date"');
    expect(errorOf(screen.getByLabelText(/Contract/))).toBe('no contract billing has seen activated');
    expect(errorOf(screen.getByLabelText(/^Reference/))).toBeNull();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('idempotency-key: must be 8-255 visible ASCII characters');
    expect(alert.textContent).not.toContain('decimals');
  });

  it('should put a currency refused inside the amount beside the currency field', async () => {
    const error = new ApiError({
      title: 'The request is not valid',
      status: 400,
      errors: [{ field: '/body/amount/currency', message: 'must match pattern "^[A-Z]{3}$"' }],
    });
    renderWithProviders(<PaymentForm onSubmit={() => undefined} error={error} />, { texts });
    await waitFor(() =>
      expect(errorOf(screen.getByLabelText(/Currency/))).toBe('must match pattern "^[A-Z]{3}$"'),
    );
    expect(errorOf(screen.getByLabelText(/Amount/))).toBeNull();
  });

  it('should show a refusal without field errors (no such contract for the reference) at the top', () => {
    const error = new ApiError({
      title: 'Payment not matchable',
      status: 422,
      code: 'PAYMENT_NOT_MATCHABLE',
      detail: 'The contract is in USD, the payment in EUR',
    });
    renderWithProviders(<PaymentForm onSubmit={() => undefined} error={error} />, { texts });
    expect(screen.getByRole('alert').textContent).toContain('The contract is in USD, the payment in EUR');
  });

  it('should label the form in German with the same fields', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<PaymentForm onSubmit={() => undefined} />, { texts, language: 'de' });
    await user.click(screen.getByRole('button', { name: 'Zahlung erfassen' }));
    expect(errorOf(screen.getByLabelText(/Betrag/))).toBe('Geben Sie den eingegangenen Betrag ein.');
    expect(screen.getByLabelText(/Valutadatum/)).toBeTruthy();
    expect(screen.getByLabelText(/Verwendungszweck/)).toBeTruthy();
  });
});

describe('paymentRequest', () => {
  it('should send a plain decimal (the contract’s currency) when no currency is given, and leave empty optionals out', () => {
    expect(
      paymentRequest({
        contractId: null,
        amount: '99.90',
        currency: '',
        valueDate: '2026-11-25',
        reference: '',
        bankReference: ' ',
        payerName: '',
      }),
    ).toEqual({ amount: '99.90', valueDate: '2026-11-25', reference: '' });
  });
});
