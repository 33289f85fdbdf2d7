/**
 * The CloudEvents 1.0 envelope every Lessor event travels in (JSON structured mode), plus the two
 * extension attributes Lessor adds: `traceparent` (W3C trace context, so a handler's logs join the HTTP
 * request's trace) and `actor` (who caused it: a user id or `client:<id>`, or `system`).
 */
export interface EventEnvelope<Data = unknown> {
  specversion: '1.0';
  /** UUIDv7, made by the publishing service; the inbox key of every consumer. */
  id: string;
  /** `/lessor/<service>` */
  source: string;
  /** `lessor.<service>.<entity>.<past-tense-verb>.v<major>`; the RabbitMQ routing key. */
  type: string;
  /** The id of the entity the event is about; events of one subject are delivered in order. */
  subject: string;
  /** When the change committed (ISO 8601, UTC). */
  time: string;
  datacontenttype: 'application/json';
  data: Data;
  traceparent?: string;
  actor?: string;
}

/** What a service gives to publish an event; the outbox fills in id, source, time. */
export interface NewEvent<Data = unknown> {
  type: string;
  subject: string;
  data: Data;
  actor?: string;
  traceparent?: string;
}

export const EVENT_TYPE_PATTERN = /^lessor\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/;
