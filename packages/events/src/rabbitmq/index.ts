export { createRabbitTransport } from './rabbit-transport.ts';
export type {
  RabbitDelivery,
  RabbitTransport,
  RabbitTransportLogger,
  RabbitTransportOptions,
} from './rabbit-transport.ts';
export { ATTEMPT_HEADER, EVENT_CONTENT_TYPE, INVALID_EVENT_TYPE, LAST_ERROR_HEADER } from './message.ts';
export type { InvalidEventData } from './message.ts';
export { DEFAULT_EXCHANGE, consumerQueueName, retryQueueName } from './topology.ts';
