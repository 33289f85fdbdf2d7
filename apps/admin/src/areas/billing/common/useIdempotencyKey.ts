import { useRef } from 'react';

/**
 * The Idempotency-Key for a request: the same key while the request is the same (a double click or a retry
 * after a lost answer registers once), a new one when the user changed it — the API refuses a key reused
 * with another request, and answers a repeated one with the first answer (also a refusal).
 */
export function useIdempotencyKey(): (request: unknown) => string {
  const last = useRef<{ body: string; key: string } | null>(null);
  return (request) => {
    const body = JSON.stringify(request);
    if (last.current?.body !== body) last.current = { body, key: crypto.randomUUID() };
    return last.current.key;
  };
}
