import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../envelope.ts';
import { INBOX_CLOCK_MARGIN_MS } from '../inbox-retention.ts';
import {
  DEFAULT_RETRY_DELAYS_MS,
  invalidity,
  isPastRetention,
  isRfc3339,
  malformed,
  retryDelayAfter,
  screenDelivery,
  staleReason,
  typeOf,
} from './delivery-policy.ts';
import type { ScreeningRules } from './delivery-policy.ts';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const PLACED = 'lessor.orders.order.placed.v1';

function envelope(changes: Record<string, unknown> = {}): EventEnvelope {
  return {
    id: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    type: PLACED,
    source: '/lessor/orders',
    subject: 'order-1',
    time: new Date(NOW - 1000).toISOString(),
    specversion: '1.0',
    datacontenttype: 'application/json',
    data: {},
    ...changes,
  } as EventEnvelope;
}

function rules(changes: Partial<ScreeningRules<string>> = {}): ScreeningRules<string> {
  return {
    subscribedTo: (type) => (type === PLACED ? ['billing'] : []),
    retentionMs: 14 * DAY_MS,
    ...changes,
  };
}

describe('malformed', () => {
  it('should find nothing wrong when the envelope is sound', () => {
    expect(malformed(envelope())).toBeUndefined();
  });

  it.each([
    ['not an object', 'text', 'the message is not a JSON object'],
    ['null', null, 'the message is not a JSON object'],
    ['an id that is no UUID', envelope({ id: 'order-1' }), 'id "order-1" is not a UUID'],
    [
      'a type off the naming rule',
      envelope({ type: 'OrderPlaced' }),
      'type "OrderPlaced" is not a Lessor event type',
    ],
    [
      "the RabbitMQ transport's marker for an unreadable body",
      envelope({ type: 'invalid' }),
      'type "invalid"',
    ],
    ['no subject', envelope({ subject: undefined }), 'the envelope has no subject'],
    ['another specversion', envelope({ specversion: '0.3' }), 'specversion "0.3" is not 1.0'],
    ['no time', envelope({ time: undefined }), 'time undefined is not an RFC 3339 timestamp'],
    ['a date without a time', envelope({ time: '2026-12-07' }), 'is not an RFC 3339 timestamp'],
  ])('should say why when the envelope has %s', (_case, event, reason) => {
    expect(malformed(event as EventEnvelope)).toContain(reason);
  });
});

describe('isRfc3339', () => {
  it.each(['2026-12-07T12:00:00Z', '2026-12-07t12:00:00.123456789z', '2026-12-07 12:00:00+01:00'])(
    'should accept %s',
    (text) => expect(isRfc3339(text)).toBe(true),
  );

  it.each([
    '2026-12-07T12:00:00', // no zone: JavaScript and PostgreSQL would read it in different zones
    '2026-12-07T12:00:00.1234567890Z', // a fraction finer than nanoseconds
    '2026-12-07T12:00:00+0100', // an offset without its colon
    '2026-13-07T12:00:00Z', // no such month
    'yesterday',
  ])('should refuse %s', (text) => expect(isRfc3339(text)).toBe(false));
});

describe('invalidity', () => {
  it('should not ask the validator when the envelope is malformed', () => {
    let asked = false;
    const reason = invalidity(envelope({ id: 'x' }), () => {
      asked = true;
      return 'never';
    });
    expect(reason).toBe('id "x" is not a UUID');
    expect(asked).toBe(false);
  });

  it("should give the validator's message, and nothing for null", () => {
    expect(invalidity(envelope(), () => 'data.amount is missing')).toBe('data.amount is missing');
    expect(invalidity(envelope(), () => null)).toBeUndefined();
    expect(invalidity(envelope(), undefined)).toBeUndefined();
  });
});

describe('screenDelivery', () => {
  it('should apply an event when it is sound, subscribed and young, with its subscriptions', () => {
    expect(screenDelivery(envelope(), rules(), NOW)).toEqual({ fate: 'apply', subscribed: ['billing'] });
  });

  it('should park an event without retries when it is malformed or the validator refuses it', () => {
    expect(screenDelivery(envelope({ specversion: '2.0' }), rules(), NOW)).toEqual({
      fate: 'park',
      invalid: 'specversion "2.0" is not 1.0',
    });
    expect(screenDelivery(envelope(), rules({ validate: () => 'no such contract' }), NOW)).toEqual({
      fate: 'park',
      invalid: 'no such contract',
    });
  });

  it('should retry an event when the validator throws, for that is no verdict on the event', () => {
    const bug = new Error('the catalogue is not loaded');
    const screening = screenDelivery(
      envelope(),
      rules({
        validate: () => {
          throw bug;
        },
      }),
      NOW,
    );
    expect(screening).toEqual({ fate: 'retry', error: bug });
  });

  it('should ignore an event when no subscription matches its type, even when it is stale', () => {
    const old = envelope({
      type: 'lessor.orders.order.shipped.v1',
      time: new Date(NOW - 30 * DAY_MS).toISOString(),
    });
    expect(screenDelivery(old, rules(), NOW)).toEqual({ fate: 'ignore' });
  });

  it('should send an event to the stale lookup when it is older than the retention less the clock margin', () => {
    const retentionMs = 14 * DAY_MS;
    const justPast = new Date(NOW - retentionMs + INBOX_CLOCK_MARGIN_MS - 1).toISOString();
    const justWithin = new Date(NOW - retentionMs + INBOX_CLOCK_MARGIN_MS).toISOString();
    expect(screenDelivery(envelope({ time: justPast }), rules({ retentionMs }), NOW).fate).toBe('stale');
    expect(screenDelivery(envelope({ time: justWithin }), rules({ retentionMs }), NOW).fate).toBe('apply');
  });
});

describe('isPastRetention', () => {
  it('should judge an event stale an hour before the retention job may delete its id', () => {
    const retentionMs = 7 * DAY_MS;
    const olderThanMargin = new Date(NOW - retentionMs + INBOX_CLOCK_MARGIN_MS - 1000).toISOString();
    expect(isPastRetention(olderThanMargin, retentionMs, NOW)).toBe(true);
    expect(isPastRetention(new Date(NOW - DAY_MS).toISOString(), retentionMs, NOW)).toBe(false);
  });
});

describe('staleReason', () => {
  it('should name the time and the retention in days, to one decimal, and what the admin should do', () => {
    const reason = staleReason('2026-11-01T00:00:00Z', 14.25 * DAY_MS);
    expect(reason).toBe(
      'stale: the event is from 2026-11-01T00:00:00Z, older than the 14.3 days the inbox keeps event ids, so it ' +
        'may have been applied already; check its effect, then replay or discard it',
    );
  });
});

describe('retryDelayAfter', () => {
  it('should take the delay of the attempt that failed, and none after the last', () => {
    expect(retryDelayAfter(DEFAULT_RETRY_DELAYS_MS, 1)).toBe(1000);
    expect(retryDelayAfter(DEFAULT_RETRY_DELAYS_MS, 3)).toBe(30000);
    expect(retryDelayAfter(DEFAULT_RETRY_DELAYS_MS, 4)).toBeUndefined();
  });
});

describe('typeOf', () => {
  it("should give the envelope's type, or unknown when it has none", () => {
    expect(typeOf(envelope())).toBe(PLACED);
    expect(typeOf(undefined)).toBe('unknown');
    expect(typeOf({ type: 42 } as unknown as EventEnvelope)).toBe('unknown');
  });
});
