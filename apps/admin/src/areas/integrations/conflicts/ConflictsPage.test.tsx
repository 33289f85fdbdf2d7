import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveApi, type TestApi } from '../../../testing/api.ts';
import { renderApp } from '../../../testing/render.tsx';
import { conflictFixture, connectorFixture } from '../integration.fixtures.ts';
import type { Conflict } from '../types.ts';

const CONFLICT = conflictFixture();
const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole('cell')
    .map((cell) => cell.textContent);

describe('the conflicts page', { timeout: 60_000 }, () => {
  let api: TestApi;
  let open: Conflict[] = [];
  beforeEach(async () => {
    api = await serveApi();
    open = [
      CONFLICT,
      conflictFixture({
        id: '01a2121c-7a00-7000-8000-0000000c0f02',
        remoteId: 'ACC-0007',
        field: 'name',
        lessorValue: 'Müller GmbH',
        crmValue: null,
      }),
    ];
    api.answer('GET /api/integration/v1/connectors', () => ({
      body: { items: [connectorFixture()], nextCursor: null },
    }));
    api.answer('GET /api/integration/v1/conflicts', () => ({ body: { items: open, nextCursor: null } }));
    api.answer(`POST /api/integration/v1/conflicts/${CONFLICT.id}/resolve`, ({ body }) => {
      open = open.filter((conflict) => conflict.id !== CONFLICT.id);
      return { body: { ...CONFLICT, status: (body as { resolution: 'take-crm' }).resolution } };
    });
  });
  afterEach(() => api.close());

  it('should show each open conflict with Lessor’s value beside the CRM’s, and resolve one by taking the CRM’s', async () => {
    const user = userEvent.setup({ delay: null });
    await api.signInAs([
      'integration:connectors:read',
      'integration:conflicts:read',
      'integration:conflicts:write',
    ]);
    renderApp('/integrations/conflicts');
    const table = await screen.findByRole('table', { name: 'Open conflicts' });
    const first = (await within(table).findByText('ACC-0002')).closest('tr')!;
    expect(cells(first).slice(0, 6)).toEqual([
      'Dynamics Sales',
      '01a2121c…',
      'ACC-0002',
      'Tax ID',
      'DE811907980',
      'DE136695976',
    ]);
    // An empty value says so.
    expect(cells(within(table).getByText('ACC-0007').closest('tr')!).slice(3, 6)).toEqual([
      'Name',
      'Müller GmbH',
      '(empty)',
    ]);
    // The only open query asked for.
    expect(api.calls.find((call) => call.path.endsWith('/conflicts'))!.query.get('status')).toBe('open');

    await user.click(screen.getByRole('button', { name: 'Take the CRM’s Tax ID for ACC-0002' }));
    await waitFor(() => expect(within(table).queryByText('ACC-0002')).toBeNull());
    const resolve = api.calls.find((call) => call.path.endsWith('/resolve'))!;
    expect(resolve.path).toBe(`/api/integration/v1/conflicts/${CONFLICT.id}/resolve`);
    expect(resolve.body).toEqual({ resolution: 'take-crm' });
    expect(within(table).getByText('ACC-0007')).toBeTruthy();
  });

  it('should keep Lessor’s value when asked, in German too', async () => {
    const user = userEvent.setup({ delay: null });
    await api.signInAs(['integration:conflicts:read', 'integration:conflicts:write']);
    renderApp('/integrations/conflicts', { language: 'de' });
    await user.click(
      await screen.findByRole('button', { name: 'Steuernummer von Lessor für ACC-0002 behalten' }),
    );
    await waitFor(() => expect(api.calls.some((call) => call.path.endsWith('/resolve'))).toBe(true));
    expect(api.calls.find((call) => call.path.endsWith('/resolve'))!.body).toEqual({
      resolution: 'keep-lessor',
    });
  });

  it('should offer no resolving to a reader', async () => {
    await api.signInAs(['integration:conflicts:read']);
    renderApp('/integrations/conflicts');
    await screen.findByText('ACC-0002');
    expect(screen.queryByRole('button', { name: /Take the CRM/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Keep Lessor/ })).toBeNull();
  });
});
