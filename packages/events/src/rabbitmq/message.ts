import { createHash } from 'node:crypto';
import type { AsyncMessage, Envelope } from 'rabbitmq-client';
import type { EventEnvelope } from '../envelope.ts';

/** The AMQP content type of every Lessor event (CloudEvents structured mode, JSON). */
export const EVENT_CONTENT_TYPE = 'application/cloudevents+json';

/** Header carrying the delivery attempt: absent on the first delivery, 2 after one retry, … */
export const ATTEMPT_HEADER = 'x-lessor-attempt';

/** Header carrying the reason the previous attempt gave to `retry(reason)`. */
export const LAST_ERROR_HEADER = 'x-lessor-last-error';

/**
 * The `type` of the marker envelope a consumer receives for a message whose body is not a JSON object. It is
 * not a valid Lessor event type (EVENT_TYPE_PATTERN), so catalogue validation rejects it and the runtime parks
 * the message in the dead-letter store instead of the transport crashing or dropping it.
 */
export const INVALID_EVENT_TYPE = 'invalid';

/** `data` of the marker envelope: the body as received, to inspect and replay by hand. */
export interface InvalidEventData {
  /** The body: UTF-8 text, or base64 when the bytes are not valid UTF-8. */
  raw: string;
  encoding: 'utf8' | 'base64';
  /** Why it is not an event (e.g. the JSON parse error). */
  reason: string;
  /** The routing key it was published with (the claimed event type). */
  routingKey: string;
}

// Stack traces can be long; an AMQP header frame must fit in one frame (frameMax), so the reason is capped.
const MAX_REASON_LENGTH = 1000;

// Headers the broker writes or owns; copying `x-delivery-count` (quorum queues) would mislead the next reader.
const BROKER_OWNED_HEADERS = new Set(['x-delivery-count']);

/** The AMQP properties a Lessor event is published with: routing key = type, persistent. */
export function eventPublishEnvelope(exchange: string, event: EventEnvelope): Envelope {
  return {
    exchange,
    routingKey: event.type,
    // Not mandatory: an event no service consumes yet is confirmed and dropped, as pub/sub does. A consumer's
    // durable queue and bindings exist from its first start, so it misses nothing published after that;
    // returning such events instead would block the publisher's relay until some consumer appears.
    mandatory: false,
    durable: true, // deliveryMode 2: persisted by the broker
    messageId: event.id,
    type: event.type,
    contentType: EVENT_CONTENT_TYPE,
    timestamp: timestampSeconds(event.time),
    headers: event.traceparent ? { traceparent: event.traceparent } : {},
  };
}

/** The body of an event as published: the JSON envelope, as bytes so the client does not re-label it. */
export function eventBody(event: EventEnvelope): Buffer {
  return Buffer.from(JSON.stringify(event), 'utf8');
}

/**
 * The envelope of a received message. A body that is not a JSON object yields the marker envelope
 * (`type` = INVALID_EVENT_TYPE, `data`: InvalidEventData), never an exception: one bad message must not stop a
 * consumer. Its `id` is the message id, or — when there is none — `invalid-<sha256 of the body>`, so every
 * redelivery of the same bytes has the same inbox key while different bad bodies do not collide.
 */
export function eventFromMessage(message: AsyncMessage): EventEnvelope {
  const body = bodyBuffer(message.body);
  let reason: string;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as EventEnvelope;
    reason = 'body is JSON but not an object';
  } catch (error) {
    reason = `body is not JSON: ${(error as Error).message}`;
  }
  const text = body.toString('utf8');
  const isUtf8 = Buffer.from(text, 'utf8').equals(body);
  const data: InvalidEventData = {
    raw: isUtf8 ? text : body.toString('base64'),
    encoding: isUtf8 ? 'utf8' : 'base64',
    reason,
    routingKey: message.routingKey,
  };
  return {
    specversion: '1.0',
    id: message.messageId || `invalid-${createHash('sha256').update(body).digest('hex')}`,
    source: 'unknown',
    type: INVALID_EVENT_TYPE,
    subject: '',
    time: message.timestamp ? new Date(message.timestamp * 1000).toISOString() : new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

/** The attempt number carried by a message: its `x-lessor-attempt` header, 1 when absent or malformed. */
export function attemptOf(message: Pick<AsyncMessage, 'headers'>): number {
  const raw: unknown = message.headers?.[ATTEMPT_HEADER];
  const value = typeof raw === 'bigint' ? Number(raw) : typeof raw === 'string' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : 1;
}

/**
 * The copy of a received message that goes to a retry queue: the same body and properties, with the attempt
 * and the reason in headers. The broker's `x-death` history is kept so an operator sees the whole path.
 */
export function retryCopy(
  message: AsyncMessage,
  retryQueue: string,
  attempt: number,
  reason: string,
): { envelope: Envelope; body: Buffer } {
  const headers: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message.headers ?? {})) {
    if (!BROKER_OWNED_HEADERS.has(key) && value !== undefined) headers[key] = value;
  }
  headers[ATTEMPT_HEADER] = attempt + 1;
  headers[LAST_ERROR_HEADER] =
    reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
  const envelope: Envelope = {
    exchange: '',
    routingKey: retryQueue,
    mandatory: true,
    durable: true, // deliveryMode 2: persisted by the broker
    headers,
  };
  // Copied one by one: `expiration` would fight the queue's TTL and `userId` is checked against our login.
  if (message.contentType !== undefined) envelope.contentType = message.contentType;
  if (message.contentEncoding !== undefined) envelope.contentEncoding = message.contentEncoding;
  if (message.messageId !== undefined) envelope.messageId = message.messageId;
  if (message.type !== undefined) envelope.type = message.type;
  if (message.timestamp !== undefined) envelope.timestamp = message.timestamp;
  if (message.correlationId !== undefined) envelope.correlationId = message.correlationId;
  if (message.appId !== undefined) envelope.appId = message.appId;
  if (message.priority !== undefined) envelope.priority = message.priority;
  return { envelope, body: bodyBuffer(message.body) };
}

// rabbitmq-client already decodes `text/plain` to a string and valid `application/json` to a value; events
// are published as `application/cloudevents+json` and arrive as a Buffer, but a foreign publisher may differ.
function bodyBuffer(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body) ?? '', 'utf8');
}

function timestampSeconds(time: string): number {
  const ms = Date.parse(time);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : Math.floor(Date.now() / 1000);
}
