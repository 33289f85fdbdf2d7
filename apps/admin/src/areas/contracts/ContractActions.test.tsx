import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/problem.ts';
import { renderWithProviders } from '../../testing/render.tsx';
import { APPROVER, AUTHOR, contractFixture } from './contract.fixtures.ts';
import { ContractActions, type ActionRequest } from './ContractActions.tsx';
import { contractsTexts } from './texts.ts';
import type { ContractStatus } from './types.ts';

const everything = () => true;
const only =
  (...permissions: string[]) =>
  (permission: string) =>
    permissions.includes(permission);

function renderActions(
  status: ContractStatus,
  options: {
    can?: (permission: string) => boolean;
    actor?: string;
    onRun?: (request: ActionRequest) => Promise<unknown>;
    onTerminate?: () => void;
    language?: 'en' | 'de';
  } = {},
) {
  return renderWithProviders(
    <ContractActions
      contract={contractFixture({ status })}
      can={options.can ?? everything}
      actor={options.actor ?? APPROVER}
      onRun={options.onRun ?? (() => Promise.resolve())}
      onTerminate={options.onTerminate ?? (() => undefined)}
    />,
    { texts: { contracts: contractsTexts }, language: options.language ?? 'en' },
  );
}

const buttonNames = () => screen.queryAllByRole('button').map((button) => button.textContent);

describe('ContractActions', { timeout: 30_000 }, () => {
  it.each<[ContractStatus, string[]]>([
    ['draft', ['Approve', 'Reject']],
    ['approved', ['Sign']],
    ['signed', ['Activate']],
    ['active', ['Close', 'Terminate', 'Declare default', 'Restructure']],
    ['closed', []],
    ['rejected', []],
    ['terminated', []],
    ['defaulted', []],
  ])('should offer on a %s contract exactly the actions its status allows', (status, expected) => {
    renderActions(status);
    expect(buttonNames()).toEqual(expected);
  });

  it('should hide an action the user lacks the permission for', () => {
    renderActions('active', { can: only('leasing:contracts:read', 'leasing:contracts:close') });
    expect(buttonNames()).toEqual(['Close']);
  });

  it('should say that nothing is available when the permissions grant no action of the status', () => {
    renderActions('approved', { can: only('leasing:contracts:read', 'leasing:contracts:approve') });
    expect(buttonNames()).toEqual([]);
    expect(
      screen.getByText(/No status actions are available to you for a contract in status “Approved”/),
    ).toBeTruthy();
  });

  it('should disable Approve and Reject for the draft’s maker and explain the four-eyes rule', () => {
    renderActions('draft', { actor: AUTHOR });
    const approve = screen.getByRole('button', { name: 'Approve' });
    expect(approve.hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('button', { name: 'Reject' }).hasAttribute('disabled')).toBe(true);
    const note = screen.getByRole('note');
    expect(note.textContent).toContain('Four-eyes rule');
    expect(note.textContent).toContain('someone else must approve or reject it');
    expect(approve.getAttribute('aria-describedby')).toBe(note.id);
  });

  it('should explain the four-eyes rule in German too', () => {
    renderActions('draft', { actor: AUTHOR, language: 'de' });
    expect(screen.getByRole('button', { name: 'Genehmigen' }).hasAttribute('disabled')).toBe(true);
    expect(screen.getByRole('note').textContent).toContain('Vier-Augen-Prinzip');
  });

  it('should let a second person approve, without the explanation', () => {
    renderActions('draft', { actor: APPROVER });
    expect(screen.getByRole('button', { name: 'Approve' }).hasAttribute('disabled')).toBe(false);
    expect(screen.queryByRole('note')).toBeNull();
  });

  it('should show the API’s problem when it refuses the approval', async () => {
    const user = userEvent.setup({ delay: null });
    const onRun = vi.fn(() =>
      Promise.reject(
        new ApiError({
          title: 'A second person must approve the contract',
          status: 403,
          code: 'FOUR_EYES_REQUIRED',
          detail: 'The contract must be approved by someone other than its author',
        }),
      ),
    );
    renderActions('draft', { onRun });
    await user.click(screen.getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert.textContent).toContain('A second person must approve the contract');
    expect(alert.textContent).toContain('The contract must be approved by someone other than its author');
    expect(onRun).toHaveBeenCalledWith({
      action: 'approve',
      body: { businessDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as unknown },
    });
  });

  it('should ask for a reason before rejecting, and send it', async () => {
    const user = userEvent.setup({ delay: null });
    const onRun = vi.fn(() => Promise.resolve());
    renderActions('draft', { onRun });
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    expect(within(dialog).getByText('Give a reason.')).toBeTruthy();
    expect(onRun).not.toHaveBeenCalled();
    await user.type(within(dialog).getByLabelText(/Reason/), 'Exposure limit exceeded');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    expect(onRun).toHaveBeenCalledWith({
      action: 'reject',
      body: { businessDate: expect.any(String) as unknown, reason: 'Exposure limit exceeded' },
    });
  });

  it('should show an API field error beside its field', async () => {
    const user = userEvent.setup({ delay: null });
    const onRun = vi.fn(() =>
      Promise.reject(
        new ApiError({
          title: 'Validation failed',
          status: 400,
          errors: [{ field: '/body/annualRate', message: 'must match pattern' }],
        }),
      ),
    );
    renderActions('active', { onRun });
    await user.click(screen.getByRole('button', { name: 'Restructure' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/From date/), '2027-06-01');
    await user.type(within(dialog).getByLabelText(/New annual interest rate/), '4,5');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    expect(onRun).toHaveBeenCalledWith({
      action: 'restructure',
      body: { fromDate: '2027-06-01', annualRate: '4.5' },
    });
    const rate = within(dialog).getByLabelText(/New annual interest rate/);
    expect(await within(dialog).findByText('must match pattern')).toBeTruthy();
    expect(rate.getAttribute('aria-invalid')).toBe('true');
  });

  it.each(['Approve', 'Reject'])(
    'should give the focus back to %s when its dialog is closed with Escape',
    async (name) => {
      const user = userEvent.setup({ delay: null });
      renderActions('draft');
      const button = screen.getByRole('button', { name });
      await user.click(button);
      const dialog = await screen.findByRole('dialog');
      await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
      await user.keyboard('{Escape}');
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
      expect(document.activeElement).toBe(button);
    },
  );

  it('should open the dialog empty again after it was closed with something typed', async () => {
    const user = userEvent.setup({ delay: null });
    renderActions('draft');
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    await user.type(within(await screen.findByRole('dialog')).getByLabelText(/Reason/), 'Not yet');
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Reject' }));
    expect(within(await screen.findByRole('dialog')).getByLabelText(/Reason/)).toHaveProperty('value', '');
  });

  it('should send Terminate to the early-termination quote instead of a dialog', async () => {
    const user = userEvent.setup({ delay: null });
    const onTerminate = vi.fn();
    renderActions('active', { onTerminate });
    await user.click(screen.getByRole('button', { name: 'Terminate' }));
    expect(onTerminate).toHaveBeenCalledOnce();
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
