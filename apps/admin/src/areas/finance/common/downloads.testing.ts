import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * For tests of "Export CSV": the names of the files the page saved, in order. jsdom cannot save a file, so
 * the click on the download link is caught and its name kept (a browser would save it). Call it in a
 * `describe`: it stubs the object URLs, listens for the whole block, and empties the list before each test.
 */
export function catchDownloads(): string[] {
  const saved: string[] = [];
  const keepDownload = (event: MouseEvent) => {
    const link = event.target;
    if (link instanceof HTMLAnchorElement && link.download) {
      saved.push(link.download);
      event.preventDefault();
    }
  };
  beforeAll(() => {
    URL.createObjectURL = () => 'blob:report';
    URL.revokeObjectURL = () => undefined;
    document.addEventListener('click', keepDownload);
  });
  afterAll(() => document.removeEventListener('click', keepDownload));
  beforeEach(() => {
    saved.length = 0;
  });
  return saved;
}
