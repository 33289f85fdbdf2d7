/**
 * The deadline of a call: one `AbortSignal` for its whole life (token, attempts, backoff waits, reading the
 * body), and the signal of one attempt, which may be cut shorter by `attemptTimeoutMs`.
 */

/**
 * Runs `send` under one signal for the whole call: the deadline, the caller's signal and whoever holds the
 * controller in `inFlight` (the client's `close()`) abort it. Built by hand rather than with `AbortSignal.any`
 * over a client-wide signal: Node versions still in use leak every signal combined with a long-lived one
 * (nodejs/node#55351).
 */
export async function withinDeadline<T>(
  deadlineMs: number,
  callerSignal: AbortSignal | undefined,
  inFlight: Set<AbortController>,
  send: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('the call deadline passed', 'TimeoutError')),
    deadlineMs,
  );
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted === true) onCallerAbort();
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  inFlight.add(controller);
  try {
    return await send(controller.signal);
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
    inFlight.delete(controller);
  }
}

/**
 * The signal of one attempt: the call's own when the attempt may use all the time left, or the call's cut to
 * `attemptTimeoutMs` when that is shorter — so a hung connection can be abandoned and retried while the budget lasts.
 */
export function attemptSignal(
  callSignal: AbortSignal,
  attemptTimeoutMs: number | undefined,
  remainingMs: number,
): AbortSignal {
  return attemptTimeoutMs === undefined || attemptTimeoutMs >= remainingMs
    ? callSignal
    : AbortSignal.any([callSignal, AbortSignal.timeout(attemptTimeoutMs)]);
}

/** Waits for `promise` unless `signal` aborts first, then rejects with the signal's reason. */
export async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
