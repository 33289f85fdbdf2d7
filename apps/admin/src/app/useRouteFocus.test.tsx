import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { partyFixture } from '../areas/parties/party.fixtures.ts';
import { serveApi, type TestApi } from '../testing/api.ts';
import { renderApp } from '../testing/render.tsx';

const party = partyFixture();

// A new page takes the focus to its heading (useRouteFocus, used by Layout); a new query string does not.
describe('the focus after a change of page', { timeout: 30_000 }, () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await serveApi();
    await api.signInAs(['sso:me:read', 'parties:parties:read']);
    api.answer('GET /api/parties/v1/parties', () => ({ body: { items: [party], nextCursor: null } }));
    api.answer(`GET /api/parties/v1/parties/${party.id}`, () => ({ body: party }));
    api.answer(`GET /api/parties/v1/parties/${party.id}/kyc-history`, () => ({
      body: { items: [], nextCursor: null },
    }));
  });
  afterEach(() => api.close());

  it('should move the focus from the menu link to the heading of the page it opens, and name the document', async () => {
    const user = userEvent.setup({ delay: null });
    renderApp('/');
    // The first page shown leaves the focus alone; its heading names the document.
    await screen.findByRole('heading', { name: 'Welcome, Test User' });
    expect(document.activeElement).toBe(document.body);
    expect(document.title).toBe('Welcome, Test User · Lessor');

    const link = within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', {
      name: 'Parties',
    });
    await user.click(link);
    const heading = await screen.findByRole('heading', { name: 'Parties' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(heading.getAttribute('tabindex')).toBe('-1');
    expect(document.title).toBe('Parties · Lessor');
  });

  it('should keep the focus in a filter whose value changes only the query string', async () => {
    const user = userEvent.setup({ delay: null });
    renderApp('/parties');
    const search = await screen.findByRole('searchbox', { name: 'Search' });
    await user.click(search);
    await user.type(search, 'Hofmann');
    // The settled search term goes to the address, and the list is asked again with it.
    await waitFor(() => expect(api.calls.some((call) => call.query.get('q') === 'Hofmann')).toBe(true));
    await screen.findByRole('row', { name: /Hofmann Agrar GmbH/ });
    expect(document.activeElement).toBe(search);
    expect(document.title).toBe('Parties · Lessor');
  });

  it('should give the focus to the heading of a card opened from its row once the card has loaded', async () => {
    const user = userEvent.setup({ delay: null });
    renderApp('/parties');
    const row = await screen.findByRole('row', { name: /Hofmann Agrar GmbH/ });
    row.focus();
    await user.keyboard('{Enter}');
    const heading = await screen.findByRole('heading', { name: 'Hofmann Agrar GmbH', level: 2 });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(document.title).toBe('Hofmann Agrar GmbH · Lessor');
  });

  it('should give the focus to the main region of a page without a heading', async () => {
    api.answer(`GET /api/parties/v1/parties/${party.id}`, () => ({
      status: 404,
      body: { title: 'Not found', status: 404, detail: 'No such party.' },
    }));
    const user = userEvent.setup({ delay: null });
    renderApp('/parties');
    const row = await screen.findByRole('row', { name: /Hofmann Agrar GmbH/ });
    row.focus();
    await user.keyboard('{Enter}');
    await screen.findByText('No such party.');
    expect(document.activeElement).toBe(screen.getByRole('main'));
    expect(document.title).toBe('Lessor');
  });
});
