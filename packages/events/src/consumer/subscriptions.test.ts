import { describe, expect, it } from 'vitest';
import type { EventBatchHandler, EventHandler } from './consumer.types.ts';
import { Subscriptions } from './subscriptions.ts';

const handler = (): EventHandler => async () => {};

describe('Subscriptions', () => {
  it('should match exact types and AMQP patterns, in subscription order', () => {
    const subscriptions = new Subscriptions();
    const audit = handler();
    const billing = handler();
    const finance = handler();
    subscriptions.add(['lessor.*.*.created.v1', 'lessor.sso.#'], audit);
    subscriptions.add(['lessor.leasing.contract.created.v1'], billing);
    subscriptions.add(['lessor.billing.invoice.issued.v1'], finance);
    expect(subscriptions.handlersOf('lessor.leasing.contract.created.v1')).toEqual([audit, billing]);
    expect(subscriptions.handlersOf('lessor.sso.login.failed.v1')).toEqual([audit]);
    expect(subscriptions.handlersOf('lessor.leasing.contract.activated.v1')).toEqual([]);
  });

  it('should keep the batch handler with its subscription', () => {
    const subscriptions = new Subscriptions();
    const handleBatch: EventBatchHandler = async () => {};
    subscriptions.add(['lessor.billing.payment.received.v1'], handler(), { handleBatch });
    subscriptions.add(['lessor.billing.#'], handler());
    const matching = subscriptions.matching('lessor.billing.payment.received.v1');
    expect(matching.map((entry) => entry.handleBatch)).toEqual([handleBatch, undefined]);
    expect(subscriptions.all).toHaveLength(2);
  });

  it('should give every pattern once when several subscriptions share one', () => {
    const subscriptions = new Subscriptions();
    subscriptions.add(['lessor.a.b.created.v1', 'lessor.a.#'], handler());
    subscriptions.add(['lessor.a.#'], handler());
    expect(subscriptions.patterns()).toEqual(['lessor.a.b.created.v1', 'lessor.a.#']);
  });

  it('should refuse a subscription when it names no type', () => {
    const subscriptions = new Subscriptions();
    expect(() => subscriptions.add([], handler())).toThrow('subscribe() needs at least one event type');
    expect(subscriptions.all).toHaveLength(0);
  });
});
