import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderApp } from '../../../testing/render.tsx';
import { outboundFixture } from '../integration.fixtures.ts';

describe('the outbound log', { timeout: 60_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    api.answer('GET /api/integration/v1/outbound', ({ query }) => ({
      body: {
        items: [
          outboundFixture(),
          outboundFixture({
            id: '01a2121c-7a00-7000-8000-00000000b002',
            status: 'refused',
            httpStatus: 400,
            reason: 'new_lessorstatus: the value is not one of the option set',
          }),
        ].filter((entry) => query.get('status') === null || entry.status === query.get('status')),
        nextCursor: null,
      },
    }));
  });
  afterEach(() => api.close());

  it('should show what each CRM was told and why a refusal was refused, filtered by status', async () => {
    const user = userEvent.setup({ delay: null });
    await api.signInAs(['integration:outbound:read', 'leasing:contracts:read', 'integration:events:read']);
    renderApp('/integrations/outbound');
    const table = await screen.findByRole('table', { name: 'Outbound log' });
    const refused = (await within(table).findByText(/HTTP 400/)).closest('tr')!;
    expect(
      within(refused).getByText('HTTP 400 · new_lessorstatus: the value is not one of the option set'),
    ).toBeTruthy();
    expect(within(refused).getByRole('link', { name: 'LC-2026-000042' }).getAttribute('href')).toBe(
      '/contracts/01a2121c-1984-748d-8f27-81a7259b1ad4',
    );
    expect(within(refused).getByText(/^signed · /)).toBeTruthy();
    expect(
      within(screen.getByRole('main')).getByRole('link', { name: 'Parked events' }).getAttribute('href'),
    ).toBe('/administration/events?service=integration');
    await user.click(screen.getByRole('combobox', { name: 'Status' }));
    await user.click(await screen.findByRole('option', { name: 'Refused', hidden: true }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
    expect(
      api.calls
        .filter((call) => call.path.endsWith('/outbound'))
        .at(-1)!
        .query.get('status'),
    ).toBe('refused');
  });
});
