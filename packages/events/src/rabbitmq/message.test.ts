import { describe, expect, it } from 'vitest';
import type { AsyncMessage } from 'rabbitmq-client';
import { ConfirmWindow } from './confirm-window.ts';
import {
  ATTEMPT_HEADER,
  INVALID_EVENT_TYPE,
  LAST_ERROR_HEADER,
  attemptOf,
  eventFromMessage,
  retryCopy,
} from './message.ts';
import { assertConsumerTopology, retryQueueDeclaration } from './topology.ts';

function message(body: unknown, fields: Partial<AsyncMessage> = {}): AsyncMessage {
  return {
    body,
    consumerTag: 'ctag',
    deliveryTag: 1,
    redelivered: false,
    exchange: 'lessor.events',
    routingKey: 'lessor.leasing.contract.activated.v1',
    ...fields,
  } as AsyncMessage;
}

describe('eventFromMessage', () => {
  it('should return the parsed envelope when the body is a JSON object', () => {
    const event = {
      specversion: '1.0',
      id: 'e-1',
      type: 'lessor.leasing.contract.activated.v1',
      data: { a: 1 },
    };
    expect(eventFromMessage(message(Buffer.from(JSON.stringify(event))))).toEqual(event);
  });

  it('should return the marker envelope with the raw text when the body is not JSON', () => {
    const event = eventFromMessage(
      message(Buffer.from('nope {'), { messageId: 'm-1', timestamp: 1_700_000_000 }),
    );
    expect(event).toMatchObject({
      id: 'm-1',
      type: INVALID_EVENT_TYPE,
      time: '2023-11-14T22:13:20.000Z',
      data: { raw: 'nope {', encoding: 'utf8', routingKey: 'lessor.leasing.contract.activated.v1' },
    });
  });

  it('should return the marker envelope when the body is JSON but not an object', () => {
    expect(eventFromMessage(message(Buffer.from('[1,2]'))).data).toMatchObject({
      reason: 'body is JSON but not an object',
    });
    expect(eventFromMessage(message(Buffer.from('null'))).type).toBe(INVALID_EVENT_TYPE);
  });

  it('should keep the bytes as base64 and derive a stable id when the body is not UTF-8 and has no message id', () => {
    const first = eventFromMessage(message(Buffer.from([0xff, 0x00])));
    const again = eventFromMessage(message(Buffer.from([0xff, 0x00])));
    const other = eventFromMessage(message(Buffer.from([0xfe, 0x00])));
    expect(first.data).toMatchObject({ raw: '/wA=', encoding: 'base64' });
    expect(first.id).toBe(again.id);
    expect(first.id).not.toBe(other.id);
  });

  it('should accept a body the client already decoded when a foreign publisher sent application/json', () => {
    expect(eventFromMessage(message({ id: 'e-2' }))).toEqual({ id: 'e-2' });
  });
});

describe('attemptOf', () => {
  it('should read the attempt header when it is a positive integer and default to 1 otherwise', () => {
    expect(attemptOf({ headers: { [ATTEMPT_HEADER]: 3 } })).toBe(3);
    expect(attemptOf({ headers: { [ATTEMPT_HEADER]: '2' } })).toBe(2);
    expect(attemptOf({ headers: { [ATTEMPT_HEADER]: 0 } })).toBe(1);
    expect(attemptOf({ headers: { [ATTEMPT_HEADER]: 'x' } })).toBe(1);
    expect(attemptOf({})).toBe(1);
  });
});

describe('retryCopy', () => {
  it('should keep body and properties and set attempt and reason when a delivery is retried', () => {
    const body = Buffer.from('{"id":"e-1"}');
    const received = message(body, {
      messageId: 'e-1',
      type: 'lessor.leasing.contract.activated.v1',
      contentType: 'application/cloudevents+json',
      expiration: '5000',
      headers: { traceparent: 'tp', 'x-delivery-count': 1, [ATTEMPT_HEADER]: 2 },
    });
    const { envelope, body: copied } = retryCopy(received, 'lessor.billing.retry.500', 2, 'x'.repeat(5000));
    expect(copied).toEqual(body);
    expect(envelope).toMatchObject({
      exchange: '',
      routingKey: 'lessor.billing.retry.500',
      mandatory: true,
      durable: true,
      messageId: 'e-1',
      type: 'lessor.leasing.contract.activated.v1',
      contentType: 'application/cloudevents+json',
    });
    expect(envelope.expiration).toBeUndefined();
    expect(envelope.headers).toMatchObject({ traceparent: 'tp', [ATTEMPT_HEADER]: 3 });
    expect(envelope.headers).not.toHaveProperty('x-delivery-count');
    expect((envelope.headers?.[LAST_ERROR_HEADER] as string).length).toBeLessThanOrEqual(1001);
  });
});

describe('topology', () => {
  it('should dead-letter a retry queue to its own consumer queue when declared', () => {
    expect(retryQueueDeclaration('billing', 1000).arguments).toMatchObject({
      'x-message-ttl': 1000,
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': 'lessor.billing',
    });
  });

  it('should refuse a consumer when its name or delays would make bad queues', () => {
    expect(() => assertConsumerTopology('bad name', ['t'], [])).toThrow(/invalid consumer name/);
    expect(() => assertConsumerTopology('billing', [], [])).toThrow(/no event types/);
    expect(() => assertConsumerTopology('billing', ['t'], [1.5])).toThrow(/positive integers/);
    expect(() => assertConsumerTopology('billing', ['t'], [1000, 5000])).not.toThrow();
  });
});

describe('ConfirmWindow', () => {
  it('should make the next acquire wait and hand slots out in order when the window is full', async () => {
    const window = new ConfirmWindow(2);
    expect(window.acquire()).toBeUndefined();
    expect(window.acquire()).toBeUndefined();
    const order: number[] = [];
    const third = window.acquire()!.then(() => order.push(3));
    const fourth = window.acquire()!.then(() => order.push(4));
    window.release();
    window.release();
    await Promise.all([third, fourth]);
    expect(order).toEqual([3, 4]);
    window.release();
    window.release();
    expect(window.acquire()).toBeUndefined();
  });
});
