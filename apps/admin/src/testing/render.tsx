import { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { createMemoryRouter, MemoryRouter, RouterProvider } from 'react-router';
import { Providers, routes } from '../app/App.tsx';
import { addTexts, i18n, type Texts } from '../i18n/i18n.ts';

/**
 * Renders a component as the app would (theme, texts, a query client that does not retry unless `client` is
 * given, a router at `path`), in `language`. Component tests call the real code; the API calls they make are
 * answered by a real HTTP server in the test (testing/api.ts), never by a mocked client.
 */
export function renderWithProviders(
  ui: ReactNode,
  options: {
    path?: string;
    language?: 'en' | 'de';
    texts?: Record<string, Texts>;
    client?: QueryClient;
  } = {},
): RenderResult {
  for (const [name, texts] of Object.entries(options.texts ?? {})) addTexts(name, texts);
  void i18n.changeLanguage(options.language ?? 'en');
  return render(
    <Providers client={options.client ?? testQueryClient()}>
      <MemoryRouter initialEntries={[options.path ?? '/']}>{ui}</MemoryRouter>
    </Providers>,
  );
}

/**
 * Renders the whole app at `path`: the frame with its menu and every area's routes behind their guards, as the
 * session's user sees it (sign one in first, see testing/api.ts).
 */
export function renderApp(path: string, options: { language?: 'en' | 'de' } = {}): RenderResult {
  void i18n.changeLanguage(options.language ?? 'en');
  const router = createMemoryRouter(routes(), { initialEntries: [path] });
  return render(
    <Providers client={testQueryClient()}>
      <RouterProvider router={router} />
    </Providers>,
  );
}

function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
}
