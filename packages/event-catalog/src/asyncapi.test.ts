import { describe, expect, it } from 'vitest';
import { asyncApiFor, EVENT_CONTENT_TYPE, EVENTS_EXCHANGE, type AsyncApiDocument } from './asyncapi.ts';
import { eventsPublishedBy } from './catalog.ts';
import { eventsConsumedBy } from './consumers.ts';
import { toJsonSchema } from './json-schema.ts';

/** Follows a local `$ref` (`#/channels/a.b/messages/a.b`) through the document. */
function resolve(document: AsyncApiDocument, ref: string): unknown {
  expect(ref.startsWith('#/')).toBe(true);
  let node: unknown = document;
  for (const token of ref.slice(2).split('/')) {
    node = (node as Record<string, unknown>)[token.replaceAll('~1', '/').replaceAll('~0', '~')];
    expect(node, `${ref} does not resolve`).toBeDefined();
  }
  return node;
}

describe('asyncApiFor', () => {
  it('should describe sso as an AsyncAPI 3.0.0 document when asked for sso', () => {
    const document = asyncApiFor('sso');
    expect(document.asyncapi).toBe('3.0.0');
    expect(document.info.title).toBe('Lessor sso events');
    expect(document.info.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(document.defaultContentType).toBe(EVENT_CONTENT_TYPE);
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it('should give every type sso publishes a channel on the exchange and a send operation', () => {
    const document = asyncApiFor('sso');
    const published = eventsPublishedBy('sso');
    expect(Object.keys(document.channels)).toHaveLength(published.length);
    for (const definition of published) {
      const channel = document.channels[definition.type];
      expect(channel?.address).toBe(definition.type);
      expect(channel?.bindings.amqp).toMatchObject({
        is: 'routingKey',
        exchange: { name: EVENTS_EXCHANGE, type: 'topic' },
      });
      const operation = document.operations[`send.${definition.type}`];
      expect(operation?.action).toBe('send');
      expect(resolve(document, operation?.channel.$ref ?? '')).toBe(channel);
      for (const message of operation?.messages ?? []) resolve(document, message.$ref);
    }
    expect(Object.values(document.operations).every((operation) => operation.action === 'send')).toBe(true);
  });

  it('should carry the envelope with the type schema as data when a message is read', () => {
    const document = asyncApiFor('sso');
    const [definition] = eventsPublishedBy('sso');
    if (!definition) throw new Error('sso publishes nothing');
    const channel = document.channels[definition.type];
    const message = resolve(document, channel?.messages[definition.type]?.$ref ?? '') as Record<string, any>;
    expect(message.contentType).toBe(EVENT_CONTENT_TYPE);
    expect(message.payload.required).toEqual(
      expect.arrayContaining(['specversion', 'id', 'source', 'type', 'data']),
    );
    expect(message.payload.properties.type.const).toBe(definition.type);
    expect(message.payload.properties.source.const).toBe('/lessor/sso');
    expect(message.payload.properties.data).toEqual(toJsonSchema(definition.data));
  });

  it('should give audit a receive operation for each type it consumes', () => {
    const document = asyncApiFor('audit');
    const consumed = eventsConsumedBy('audit');
    expect(consumed.length).toBeGreaterThan(0);
    const operations = Object.values(document.operations);
    expect(operations).toHaveLength(consumed.length);
    for (const definition of consumed) {
      const operation = document.operations[`receive.${definition.type}`];
      expect(operation?.action).toBe('receive');
      expect(operation?.description).toContain('lessor.audit');
      expect(resolve(document, operation?.channel.$ref ?? '')).toBe(document.channels[definition.type]);
    }
  });

  it('should answer an empty document when a service neither publishes nor consumes', () => {
    const document = asyncApiFor('gateway');
    expect(document.channels).toEqual({});
    expect(document.operations).toEqual({});
  });

  it('should refuse a name that is not a service name', () => {
    expect(() => asyncApiFor('../sso')).toThrow(/not a service name/);
  });
});
