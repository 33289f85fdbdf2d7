import { EVENT_TYPE_PATTERN } from '../envelope.ts';
import type { EventEnvelope } from '../envelope.ts';
import { isUuid } from '../internal.ts';
import { INBOX_CLOCK_MARGIN_MS } from '../inbox-retention.ts';

// What becomes of a delivery, decided without I/O: parked at once, retried, ignored, looked up as stale, or
// applied. The consumer carries the decision out (settle-delivery.ts); the transport keeps the retry count.

/** Delays before each retry when the consumer's options give none; after the last, the event is parked. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1000, 5000, 30000];

/** The delay before the retry that follows `attempt`, or undefined when no retry is left (then it is parked). */
export function retryDelayAfter(retryDelaysMs: readonly number[], attempt: number): number | undefined {
  return retryDelaysMs[attempt - 1];
}

/** What a delivery needs before any transaction. */
export type Screening<S> =
  /** The validator threw: a bug or a missing piece, no verdict on the event — it takes the failure path. */
  | { fate: 'retry'; error: unknown }
  /** Malformed or invalid: it fails the same way every time, so it is parked without retries. */
  | { fate: 'park'; invalid: string }
  /** No subscription for its type (a queue binding left from an older version): acked, not parked. */
  | { fate: 'ignore' }
  /** As old as the inbox retention: a duplicate if the inbox knows it, otherwise parked, never applied. */
  | { fate: 'stale' }
  /** The inbox transaction, with the subscriptions matching its type in subscription order. */
  | { fate: 'apply'; subscribed: S[] };

/** What screening a delivery needs to know of the consumer. */
export interface ScreeningRules<S> {
  /** The consumer's `validate` option: a message means the event can never be handled. */
  validate?: ((event: EventEnvelope) => string | null | undefined) | undefined;
  subscribedTo(type: string): S[];
  /** How long the inbox keeps an event id, counted from the event's `time`. */
  retentionMs: number;
}

/** Screens a delivered envelope, in this order: malformed or invalid, no subscription, stale, applied. */
export function screenDelivery<S>(
  event: EventEnvelope,
  rules: ScreeningRules<S>,
  nowMs: number,
): Screening<S> {
  let invalid: string | undefined;
  try {
    invalid = invalidity(event, rules.validate);
  } catch (error) {
    return { fate: 'retry', error };
  }
  if (invalid) return { fate: 'park', invalid };
  const subscribed = rules.subscribedTo(event.type);
  if (subscribed.length === 0) return { fate: 'ignore' };
  if (isPastRetention(event.time, rules.retentionMs, nowMs)) return { fate: 'stale' };
  return { fate: 'apply', subscribed };
}

/**
 * Why an event can never be handled: its envelope is malformed, or `validate` says why. Undefined when it is
 * sound. A `validate` that throws throws here.
 */
export function invalidity(
  event: EventEnvelope,
  validate: ((event: EventEnvelope) => string | null | undefined) | undefined,
): string | undefined {
  return malformed(event) ?? validate?.(event) ?? undefined;
}

/**
 * True when an event is too old for the inbox to prove it new. The retention job deletes the ids of events older
 * than the retention: past it (less a margin for the clocks of this process and its database), an id missing
 * from the inbox proves nothing.
 */
export function isPastRetention(time: string, retentionMs: number, nowMs: number): boolean {
  return Date.parse(time) < nowMs - retentionMs + INBOX_CLOCK_MARGIN_MS;
}

/** The parking reason of a stale event the inbox does not know, for the admin who decides on it. */
export function staleReason(time: string, retentionMs: number): string {
  const days = Math.round((retentionMs / 86_400_000) * 10) / 10;
  return (
    `stale: the event is from ${time}, older than the ${days} days the inbox keeps event ids, so it ` +
    'may have been applied already; check its effect, then replay or discard it'
  );
}

/** The type to count and park a delivery under, even when its envelope has none. */
export function typeOf(event: EventEnvelope | undefined): string {
  return typeof event?.type === 'string' ? event.type : 'unknown';
}

/** Why an envelope cannot even be recorded in the inbox, or undefined when its frame is sound. */
export function malformed(event: EventEnvelope | undefined): string | undefined {
  if (typeof event !== 'object' || event === null) return 'the message is not a JSON object';
  if (!isUuid(event.id)) return `id ${JSON.stringify(event.id)} is not a UUID`;
  if (typeof event.type !== 'string' || !EVENT_TYPE_PATTERN.test(event.type)) {
    // Also the RabbitMQ transport's marker for an unreadable body (type `invalid`): parked, never ignored.
    return `type ${JSON.stringify(event.type)} is not a Lessor event type`;
  }
  if (typeof event.subject !== 'string') return 'the envelope has no subject';
  if (event.specversion !== '1.0') return `specversion ${JSON.stringify(event.specversion)} is not 1.0`;
  // The inbox keeps an id as long as its event is young: an event without a readable time cannot be deduplicated.
  if (typeof event.time !== 'string' || !isRfc3339(event.time)) {
    return `time ${JSON.stringify(event.time)} is not an RFC 3339 timestamp`;
  }
  return undefined;
}

// What both JavaScript and PostgreSQL read the same way (CloudEvents' `time` is RFC 3339): date and time, an
// optional fraction, then Z or an offset.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}/;
const FRACTION = /^\.\d{1,9}/;
const ZONE = /^(?:[Zz]|[+-]\d{2}:\d{2})$/;

export function isRfc3339(text: string): boolean {
  if (!DATE_TIME.test(text)) return false;
  const rest = text.slice(19);
  const fraction = FRACTION.exec(rest)?.[0] ?? '';
  return ZONE.test(rest.slice(fraction.length)) && !Number.isNaN(Date.parse(text));
}
