import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { I18nextProvider } from 'react-i18next';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router';
import { ApiError } from '../api/problem.ts';
import { AREAS } from '../areas/index.ts';
import { addTexts, i18n } from '../i18n/i18n.ts';
import { NotFound, RequirePermission, RequireSession } from './guards.tsx';
import { Home } from './Home.tsx';
import { Layout } from './Layout.tsx';
import { SignIn } from './SignIn.tsx';
import { theme } from './theme.ts';

for (const area of AREAS) if (area.texts) addTexts(area.key, area.texts);

/** Every route: sign-in, and the areas' pages inside the frame, each behind its permission. */
export function routes(): RouteObject[] {
  return [
    { path: '/signin', element: <SignIn /> },
    {
      path: '/',
      element: (
        <RequireSession>
          <Layout />
        </RequireSession>
      ),
      children: [
        { index: true, element: <Home /> },
        ...AREAS.flatMap((area) =>
          area.pages.map((page) => ({
            path: page.path,
            element: <RequirePermission permission={page.permission}>{page.element}</RequirePermission>,
          })),
        ),
        { path: '*', element: <NotFound /> },
      ],
    },
  ];
}

/** Queries retry a failed call twice, except for answers that another try cannot change (4xx). */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (count, error) =>
          count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
}

/** The providers every page relies on: theme, data fetching, texts. */
export function Providers({ client, children }: { client: QueryClient; children: React.ReactNode }) {
  return (
    <I18nextProvider i18n={i18n}>
      <MantineProvider theme={theme}>
        <Notifications />
        <QueryClientProvider client={client}>{children}</QueryClientProvider>
      </MantineProvider>
    </I18nextProvider>
  );
}

const router = createBrowserRouter(routes());

export function App() {
  return (
    <Providers client={makeQueryClient()}>
      <RouterProvider router={router} />
    </Providers>
  );
}
