import { describe, expect, it } from 'vitest';
import { billingEvents, leasingEvents } from '@lessor/event-catalog';
import { parsePath } from './amount-expression.ts';
import { pathKind } from './event-paths.ts';

describe('pathKind', () => {
  it('should find strings through objects, arrays and nullable unions of the catalogue schemas', () => {
    const activated = leasingEvents.contractActivated.data;
    expect(pathKind(activated, parsePath('schedule.totals.interest'))).toBe('string');
    expect(pathKind(activated, parsePath('schedule.installments[0].interest'))).toBe('string');
    expect(pathKind(activated, parsePath('contract'))).toBe('other');
    expect(pathKind(billingEvents.paymentReceived.data, parsePath('contractId'))).toBe('string');
    expect(pathKind(billingEvents.invoiceIssued.data, parsePath('kind'))).toBe('string');
  });

  it('should say absent when a step is not in the schema', () => {
    expect(pathKind(billingEvents.invoiceIssued.data, parsePath('amounts.totl'))).toBe('absent');
    expect(pathKind(billingEvents.invoiceIssued.data, parsePath('amounts[0]'))).toBe('absent');
  });
});
