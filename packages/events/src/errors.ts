/**
 * What went wrong, as a code an HTTP layer maps to its answer (this package knows no HTTP):
 * `INVALID_EVENT` and `INVALID_CURSOR` → 400, `NOT_FOUND` → 404, `CONFLICT` → 409 (a parked event in a state
 * that does not allow the operation), `HANDLER_FAILED` → 409 (a replay whose handler failed again; the parked
 * row records why), `NO_HANDLER` → 409 (a replay of a type nothing subscribes to).
 */
export type EventsErrorCode =
  'INVALID_EVENT' | 'INVALID_CURSOR' | 'NOT_FOUND' | 'CONFLICT' | 'HANDLER_FAILED' | 'NO_HANDLER';

/** An error of this package that a caller is expected to handle; anything else is a bug or an outage. */
export class EventsError extends Error {
  override readonly name = 'EventsError';

  constructor(
    readonly code: EventsErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const PERMANENT = Symbol.for('lessor.events.permanent-failure');

/**
 * A handler's failure that the same event meets every time — an outside system refused it (400, 404, 422), a
 * rule that no retry can change: the event is parked at once, without the retries meant for outages, so an admin
 * sees it a minute sooner and the outside system is not asked again for nothing. Anything else a handler throws
 * is retried with growing delays first.
 */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
  readonly [PERMANENT] = true;
}

/** True for a PermanentFailure, also one made by another copy of this package (checked by a registered symbol). */
export function isPermanentFailure(error: unknown): error is PermanentFailure {
  return (
    typeof error === 'object' && error !== null && (error as { [PERMANENT]?: unknown })[PERMANENT] === true
  );
}
