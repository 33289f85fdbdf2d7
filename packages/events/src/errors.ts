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
