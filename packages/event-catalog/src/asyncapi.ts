import packageJson from '../package.json' with { type: 'json' };
import { eventsPublishedBy } from './catalog.ts';
import { eventsConsumedBy } from './consumers.ts';
import type { EventDefinition } from './define-event.ts';
import { EventCatalogError, SERVICE_NAME_PATTERN } from './event-type.ts';
import { toJsonSchema, type JsonSchema } from './json-schema.ts';
import { EventEnvelopeSchema } from './validate.ts';

/** The topic exchange every Lessor event is published to; the routing key is the event type. */
export const EVENTS_EXCHANGE = 'lessor.events';

/** The content type of an event on the wire: a CloudEvents envelope in structured JSON mode. */
export const EVENT_CONTENT_TYPE = 'application/cloudevents+json';

const AMQP_BINDING_VERSION = '0.3.0';

type Ref = { $ref: string };

/** The parts of an AsyncAPI 3.0.0 document this package writes. */
export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  channels: Record<string, AsyncApiChannel>;
  operations: Record<string, AsyncApiOperation>;
  components: { messages: Record<string, AsyncApiMessage> };
}

export interface AsyncApiChannel {
  address: string;
  title: string;
  description: string;
  messages: Record<string, Ref>;
  bindings: { amqp: Record<string, unknown> };
}

export interface AsyncApiOperation {
  action: 'send' | 'receive';
  channel: Ref;
  summary: string;
  description?: string;
  messages: Ref[];
  bindings: { amqp: Record<string, unknown> };
}

export interface AsyncApiMessage {
  name: string;
  title: string;
  summary: string;
  contentType: string;
  payload: JsonSchema;
  bindings: { amqp: Record<string, unknown> };
}

/**
 * The AsyncAPI 3.0.0 document of one service: a channel per event type it publishes or consumes (the routing
 * key on the `lessor.events` topic exchange), a `send` operation per published type and a `receive` operation per
 * consumed type, and each message's payload — the CloudEvents envelope with `data` replaced by the type's schema.
 * Services serve it at `/asyncapi.json`.
 */
export function asyncApiFor(service: string): AsyncApiDocument {
  if (!SERVICE_NAME_PATTERN.test(service)) throw new EventCatalogError(`"${service}" is not a service name`);
  const published = eventsPublishedBy(service);
  const consumed = eventsConsumedBy(service);
  const document: AsyncApiDocument = {
    asyncapi: '3.0.0',
    info: {
      title: `Lessor ${service} events`,
      // The catalogue's version: the document changes when the catalogue does.
      version: packageJson.version,
      description:
        `The events ${service} publishes (send) and consumes (receive). Each is a CloudEvents 1.0 envelope on the ` +
        `${EVENTS_EXCHANGE} topic exchange, routed by its type` +
        (consumed.length > 0 ? `; ${service} receives through its queue lessor.${service}.` : '.'),
    },
    defaultContentType: EVENT_CONTENT_TYPE,
    channels: {},
    operations: {},
    components: { messages: {} },
  };
  for (const definition of [...published, ...consumed]) {
    if (document.channels[definition.type]) continue;
    document.channels[definition.type] = channelOf(definition);
    document.components.messages[definition.type] = messageOf(definition);
  }
  for (const definition of published) {
    document.operations[`send.${definition.type}`] = {
      action: 'send',
      channel: { $ref: channelRef(definition.type) },
      summary: `${service} publishes ${definition.type}.`,
      messages: [{ $ref: `${channelRef(definition.type)}/messages/${escapeRef(definition.type)}` }],
      // Persistent and mandatory: the broker keeps it on disk and returns it if no queue is bound.
      bindings: { amqp: { deliveryMode: 2, mandatory: true, bindingVersion: AMQP_BINDING_VERSION } },
    };
  }
  for (const definition of consumed) {
    document.operations[`receive.${definition.type}`] = {
      action: 'receive',
      channel: { $ref: channelRef(definition.type) },
      summary: `${service} consumes ${definition.type}.`,
      description: `Delivered through the queue lessor.${service}; acknowledged once handled, retried, then parked.`,
      messages: [{ $ref: `${channelRef(definition.type)}/messages/${escapeRef(definition.type)}` }],
      bindings: { amqp: { ack: true, bindingVersion: AMQP_BINDING_VERSION } },
    };
  }
  return document;
}

function channelOf(definition: EventDefinition): AsyncApiChannel {
  return {
    address: definition.type,
    title: definition.type,
    description: definition.description,
    messages: { [definition.type]: { $ref: `#/components/messages/${escapeRef(definition.type)}` } },
    bindings: {
      amqp: {
        is: 'routingKey',
        exchange: { name: EVENTS_EXCHANGE, type: 'topic', durable: true, autoDelete: false, vhost: '/' },
        bindingVersion: AMQP_BINDING_VERSION,
      },
    },
  };
}

function messageOf(definition: EventDefinition): AsyncApiMessage {
  const envelope = toJsonSchema(EventEnvelopeSchema);
  const properties = envelope.properties as Record<string, JsonSchema>;
  return {
    name: definition.type,
    title: definition.type,
    summary: definition.description,
    contentType: EVENT_CONTENT_TYPE,
    payload: {
      ...envelope,
      properties: {
        ...properties,
        source: { ...properties.source, const: `/lessor/${definition.publisher}` },
        type: { ...properties.type, const: definition.type },
        subject: { ...properties.subject, description: `The value of data.${definition.subject}.` },
        data: toJsonSchema(definition.data),
      },
    },
    bindings: { amqp: { messageType: definition.type, bindingVersion: AMQP_BINDING_VERSION } },
  };
}

function channelRef(type: string): string {
  return `#/channels/${escapeRef(type)}`;
}

/** JSON pointer escaping of one reference token (`~` and `/`); event types hold neither, but ids may one day. */
function escapeRef(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
