import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import { quoteFixture } from './contract.fixtures.ts';
import { TerminationPanel } from './TerminationTab.tsx';
import { contractsTexts } from './texts.ts';

const texts = { contracts: contractsTexts };

describe('TerminationPanel', { timeout: 30_000 }, () => {
  it('should quote at a date and execute the quote only after a confirmation', async () => {
    const user = userEvent.setup({ delay: null });
    const quote = quoteFixture();
    const onQuote = vi.fn(() => Promise.resolve(quote));
    const onExecute = vi.fn(() => Promise.resolve());
    renderWithProviders(
      <TerminationPanel status="active" allowed onQuote={onQuote} onExecute={onExecute} />,
      {
        texts,
      },
    );
    const date = screen.getByLabelText(/Termination date/);
    await user.clear(date);
    await user.type(date, '2027-06-30');
    await user.click(screen.getByRole('button', { name: 'Get quote' }));
    expect(onQuote).toHaveBeenCalledWith({ terminationDate: '2027-06-30' });
    expect(await screen.findByText('€119,596.96')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Execute termination' }));
    expect(onExecute).not.toHaveBeenCalled();
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    expect(onExecute).toHaveBeenCalledWith(quote);
  });

  it('should give the focus back to Execute termination when the confirmation is closed with Escape', async () => {
    const user = userEvent.setup({ delay: null });
    const onExecute = vi.fn(() => Promise.resolve());
    renderWithProviders(
      <TerminationPanel
        status="active"
        allowed
        onQuote={() => Promise.resolve(quoteFixture())}
        onExecute={onExecute}
      />,
      { texts },
    );
    await user.click(screen.getByRole('button', { name: 'Get quote' }));
    const execute = await screen.findByRole('button', { name: 'Execute termination' });
    await user.click(execute);
    const dialog = await screen.findByRole('dialog');
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(execute);
    expect(onExecute).not.toHaveBeenCalled();
  });

  it('should show the quote in German', async () => {
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <TerminationPanel
        status="active"
        allowed
        onQuote={() => Promise.resolve(quoteFixture())}
        onExecute={vi.fn()}
      />,
      { texts, language: 'de' },
    );
    await user.click(screen.getByRole('button', { name: 'Angebot berechnen' }));
    expect(await screen.findByText('119.596,96 €')).toBeTruthy();
    expect(screen.getByText('Angebot zur Beendigung am 30.06.2027')).toBeTruthy();
    expect(screen.getByText('14.07.2027')).toBeTruthy();
  });

  it('should show the API’s refusal of a quote', async () => {
    const user = userEvent.setup({ delay: null });
    const onQuote = vi.fn(() =>
      Promise.reject(
        new ApiError({
          title: 'Validation failed',
          status: 400,
          errors: [{ field: '/body/terminationDate', message: 'must be after the start date' }],
        }),
      ),
    );
    renderWithProviders(<TerminationPanel status="active" allowed onQuote={onQuote} onExecute={vi.fn()} />, {
      texts,
    });
    await user.click(screen.getByRole('button', { name: 'Get quote' }));
    expect(await screen.findByText('must be after the start date')).toBeTruthy();
    expect(screen.getByLabelText(/Termination date/).getAttribute('aria-invalid')).toBe('true');
  });

  it('should offer no quote without the permission, nor for a contract that is not active', () => {
    const { unmount } = renderWithProviders(
      <TerminationPanel status="active" allowed={false} onQuote={vi.fn()} onExecute={vi.fn()} />,
      { texts },
    );
    expect(screen.queryByRole('button', { name: 'Get quote' })).toBeNull();
    unmount();
    renderWithProviders(<TerminationPanel status="signed" allowed onQuote={vi.fn()} onExecute={vi.fn()} />, {
      texts,
    });
    expect(screen.getByText('Only an active contract can be terminated early.')).toBeTruthy();
  });
});
