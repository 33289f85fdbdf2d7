import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderWithProviders } from '../../../testing/render.tsx';
import { administrationTexts } from '../texts.ts';
import type { ParkedEvent } from './eventServices.ts';
import { ParkedEventView } from './ParkedEventView.tsx';

const texts = { administration: administrationTexts };
const event: ParkedEvent = {
  id: '01a2121c-0507-71ad-984b-f9a9038e7de9',
  eventId: '01a2121c-04e6-71bb-a844-4df2d169bd57',
  type: 'lessor.leasing.contract.activated.v1',
  reason: 'NO_POSTING_RULE: no posting rule for lessor.leasing.contract.activated.v1',
  attempts: 5,
  status: 'parked',
  parkedAt: '2026-01-31T10:15:00.000Z',
  resolvedAt: null,
  resolvedBy: null,
  envelope: {
    specversion: '1.0',
    id: 'e-1',
    source: 'leasing',
    data: { contractId: 'c-42', financedAmount: '18500.00' },
  },
};

describe('ParkedEventView', { timeout: 30_000 }, () => {
  it('should show the error, the attempts and the payload, and replay on request', async () => {
    const user = userEvent.setup();
    const onReplay = vi.fn();
    renderWithProviders(
      <ParkedEventView event={event} canWrite onReplay={onReplay} onDiscard={() => undefined} />,
      {
        texts,
      },
    );
    expect(screen.getByText(/NO_POSTING_RULE/)).toBeDefined();
    expect(screen.getByText('5')).toBeDefined();
    const payload = screen.getByRole('heading', { name: 'Payload' }).nextElementSibling?.textContent ?? '';
    expect(JSON.parse(payload)).toEqual({ contractId: 'c-42', financedAmount: '18500.00' });
    await user.click(screen.getByRole('button', { name: 'Replay' }));
    expect(onReplay).toHaveBeenCalledTimes(1);
  });

  it('should discard only after confirming', async () => {
    const user = userEvent.setup();
    const onDiscard = vi.fn();
    renderWithProviders(
      <ParkedEventView event={event} canWrite onReplay={() => undefined} onDiscard={onDiscard} />,
      {
        texts,
      },
    );
    await user.click(screen.getByRole('button', { name: 'Discard' }));
    expect(onDiscard).not.toHaveBeenCalled();
    expect(screen.getByText(/never applied/)).toBeDefined();
    await user.click(screen.getByRole('button', { name: 'Discard event' }));
    expect(onDiscard).toHaveBeenCalledTimes(1);
  });

  it('should offer no action without write permission or once the event is resolved', () => {
    const { unmount } = renderWithProviders(
      <ParkedEventView
        event={event}
        canWrite={false}
        onReplay={() => undefined}
        onDiscard={() => undefined}
      />,
      { texts },
    );
    expect(screen.queryByRole('button', { name: 'Replay' })).toBeNull();
    unmount();
    renderWithProviders(
      <ParkedEventView
        event={{ ...event, status: 'replayed', resolvedAt: '2026-02-01T09:00:00.000Z', resolvedBy: 'admin' }}
        canWrite
        onReplay={() => undefined}
        onDiscard={() => undefined}
      />,
      { texts },
    );
    expect(screen.queryByRole('button', { name: 'Replay' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Discard' })).toBeNull();
    expect(screen.getByText('Replayed')).toBeDefined();
  });
});

describe('ParkedEventView names who resolved it', { timeout: 30_000 }, () => {
  const ADA = '01a2121c-0d46-73c8-8906-818e447dc3f7';
  const GONE = '01a2121c-0d46-73c8-8906-000000000bad';
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer(`GET /api/sso/v1/users/${ADA}`, () => ({
      body: { id: ADA, username: 'ada', fullName: 'Ada Lovelace' },
    }));
    api.answer(`GET /api/sso/v1/users/${GONE}`, () => ({
      status: 404,
      body: { title: 'Not Found', status: 404, detail: 'No such user' },
    }));
    await api.signInAs(['sso:users:read']);
  });
  afterEach(() => api.close());

  const resolvedBy = (actor: string) => {
    renderWithProviders(
      <ParkedEventView
        event={{ ...event, status: 'replayed', resolvedAt: '2026-02-01T09:00:00.000Z', resolvedBy: actor }}
        canWrite
        onReplay={() => undefined}
        onDiscard={() => undefined}
      />,
      { texts },
    );
  };

  it('should show the name of the user who resolved it, the whole id on hover', async () => {
    resolvedBy(ADA);
    expect((await screen.findByText('ada', {}, { timeout: 10_000 })).getAttribute('title')).toBe(ADA);
    expect(document.body.textContent).not.toContain(ADA);
  });

  it('should show the short id when no name is known', async () => {
    resolvedBy(GONE);
    expect(screen.getByText('01a2121c…').getAttribute('title')).toBe(GONE);
    expect(document.body.textContent).not.toContain(GONE);
  });
});
