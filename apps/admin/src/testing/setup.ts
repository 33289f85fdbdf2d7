// Component tests run in jsdom: what Mantine needs of a browser that jsdom lacks.
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { testApiOrigin } from './api.ts';

afterEach(() => cleanup());

// `findBy…` and `waitFor` wait for what the page shows after its API calls. Their 1 s default is a safety net
// that a loaded 2-core CI machine overran (a page's first render plus a real HTTP round trip took longer), so
// tests failed that had nothing wrong: the net is 15 s, each test's own timeout (60 s) stays the limit.
configure({ asyncUtilTimeout: 15_000 });

Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }),
});
window.HTMLElement.prototype.scrollIntoView = () => undefined;
class NoResize {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
window.ResizeObserver = NoResize as unknown as typeof ResizeObserver;

// Mantine's autosizing Textarea listens to `document.fonts` (to measure again once fonts load); jsdom has none.
if (!('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    value: {
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      ready: Promise.resolve(),
    },
  });
}

// Node's fetch, unlike a browser's, resolves no address against the page's (the session calls `/api/sso/…`),
// and nothing listens at the page's origin: while a test's API runs (testing/api.ts), the page's calls go there.
const nodeFetch = globalThis.fetch;
globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  let address: string;
  let options: RequestInit | undefined = init;
  if (input instanceof Request) {
    address = input.url;
    const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : await input.arrayBuffer();
    options = { method: input.method, headers: input.headers, ...(body ? { body } : {}) };
  } else {
    address = input.toString();
  }
  const url = new URL(address, location.href);
  const apiOrigin = testApiOrigin();
  const target =
    apiOrigin && url.origin === location.origin ? new URL(`${url.pathname}${url.search}`, apiOrigin) : url;
  return nodeFetch(target, options);
};
