/** Polls every service's /health/ready until all answer 200, or throws naming those that did not. */
export async function waitUntilReady(urls: ReadonlyMap<string, string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(urls.keys());
  while (pending.size > 0) {
    for (const name of [...pending]) {
      try {
        const response = await fetch(`${urls.get(name)}/health/ready`, { signal: AbortSignal.timeout(1000) });
        await response.body?.cancel();
        if (response.ok) pending.delete(name);
      } catch {
        // not listening yet
      }
    }
    if (pending.size === 0) return;
    if (Date.now() > deadline) throw new Error(`Not ready after ${timeoutMs} ms: ${[...pending].join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
