export { EVENT_TYPE_PATTERN } from './envelope.ts';
export type { EventEnvelope, NewEvent } from './envelope.ts';
export type { ConsumeOptions, Delivery, Subscription, Transport } from './transport.ts';
export { EventsError, PermanentFailure, isPermanentFailure } from './errors.ts';
export type { EventsErrorCode } from './errors.ts';
export { eventMigrations } from './migrations.ts';
export type { EventMigration } from './migrations.ts';
export { createEnvelope, createOutbox } from './outbox.ts';
export type { Outbox } from './outbox.ts';
export { createRelay } from './relay.ts';
export type { Relay, RelayOptions } from './relay.ts';
export { createConsumer } from './consumer.ts';
export type {
  BatchedEvent,
  Consumer,
  ConsumerOptions,
  EventBatchContext,
  EventBatchHandler,
  EventContext,
  EventHandler,
  ParkedEvent,
  ParkedEvents,
  ParkedStatus,
  SubscribeOptions,
} from './consumer.ts';
export { BUS_CHANNEL, createInProcessTransport } from './in-process-transport.ts';
export type { InProcessTransport, InProcessTransportOptions } from './in-process-transport.ts';
export { topicMatches } from './topic.ts';
// The distributed-mode transport (maintained in ./rabbitmq/).
export * from './rabbitmq/index.ts';
