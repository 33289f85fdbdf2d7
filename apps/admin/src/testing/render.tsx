import { QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { Providers } from '../app/App.tsx';
import { addTexts, i18n, type Texts } from '../i18n/i18n.ts';

/**
 * Renders a component as the app would (theme, texts, a query client that does not retry, a router at
 * `path`), in `language`. Component tests call the real code; the API calls they make are answered by a real
 * HTTP server in the test, never by a mocked client.
 */
export function renderWithProviders(
  ui: ReactNode,
  options: { path?: string; language?: 'en' | 'de'; texts?: Record<string, Texts> } = {},
): RenderResult {
  for (const [name, texts] of Object.entries(options.texts ?? {})) addTexts(name, texts);
  void i18n.changeLanguage(options.language ?? 'en');
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <Providers client={client}>
      <MemoryRouter initialEntries={[options.path ?? '/']}>{ui}</MemoryRouter>
    </Providers>,
  );
}
