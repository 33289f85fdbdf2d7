import { describe, expect, it } from 'vitest';
import { findEventDefinition } from '@lessor/event-catalog';
import { bindingsOf } from '@lessor/service-kit';
import { DEFAULT_CHART } from '../accounts/default-chart.ts';
import type { EntryDraft } from '../entries/entry.ts';
import { financeService } from '../finance.service.ts';
import { DEFAULT_POSTING_RULES } from './default-rules.ts';
import {
  compileRule,
  draftFromRule,
  eventFacts,
  matchingRules,
  renderDescription,
  ruleErrors,
  type PostingRuleDefinition,
  type RuleOutcome,
} from './posting-rule.ts';

const context = {
  consumedTypes: bindingsOf(financeService),
  schemaOf: (type: string) => findEventDefinition(type)?.data,
  accountCodes: new Map([['LESSOR', new Set(DEFAULT_CHART.map((account) => account.code))]]),
};
const compiled = (definition: PostingRuleDefinition, id = 'rule') => compileRule({ ...definition, id });

const payment = (contractId: string | null) => ({
  paymentId: '0193a1b2-0000-7000-8000-000000000001',
  legalEntity: 'LESSOR',
  contractId,
  partyId: contractId ? '0193a1b2-0000-7000-8000-000000000002' : null,
  valueDate: '2026-03-01',
  reference: 'REF',
  currency: 'EUR',
  amount: '100.5',
  source: 'manual',
});

/** The draft a rule made, failing the test when it made none. */
function draftOf(outcome: RuleOutcome): EntryDraft {
  if (outcome.outcome !== 'draft') throw new Error(`expected a draft, got ${JSON.stringify(outcome)}`);
  return outcome.draft;
}

describe('the default posting rules', () => {
  it('should all be valid against the catalogue and the default chart', () => {
    for (const rule of DEFAULT_POSTING_RULES) expect(ruleErrors(rule, context), rule.name).toEqual([]);
  });

  it('should cover every event type finance receives', () => {
    expect(new Set(DEFAULT_POSTING_RULES.map((rule) => rule.eventType))).toEqual(
      new Set(bindingsOf(financeService)),
    );
  });

  it('should pick exactly one rule for each invoice kind and each payment', () => {
    const rules = DEFAULT_POSTING_RULES.map((rule, index) => compiled(rule, String(index)));
    for (const kind of ['advance', 'installment', 'termination', 'buyout', 'fee']) {
      const matching = matchingRules(
        rules.filter((rule) => rule.eventType === 'lessor.billing.invoice.issued.v1'),
        { kind },
        'LESSOR',
      );
      expect(matching, kind).toHaveLength(1);
    }
    const payments = rules.filter((rule) => rule.eventType === 'lessor.billing.payment.received.v1');
    expect(matchingRules(payments, payment('c'), 'LESSOR').map((rule) => rule.name)).toEqual([
      'Payment received for a contract',
    ]);
    expect(matchingRules(payments, payment(null), 'LESSOR').map((rule) => rule.name)).toEqual([
      'Payment received unmatched',
    ]);
  });

  it('should pick exactly one rule for a close, and post the residual only when the asset comes back', () => {
    const rules = DEFAULT_POSTING_RULES.map((rule, index) => compiled(rule, String(index))).filter(
      (rule) => rule.eventType === 'lessor.leasing.contract.closed.v1',
    );
    const close = (buyout: boolean) => ({
      id: `close-${buyout}`,
      type: 'lessor.leasing.contract.closed.v1',
      data: {
        businessDate: '2026-07-15',
        buyout,
        contract: {
          id: 'c1',
          number: 'LC-1',
          legalEntity: 'LESSOR',
          currency: 'EUR',
          partyId: 'p1',
          residualValue: '2500.00',
        },
      },
    });
    const [returned] = matchingRules(rules, close(false).data, 'LESSOR');
    expect(matchingRules(rules, close(false).data, 'LESSOR')).toHaveLength(1);
    expect(
      draftOf(draftFromRule(returned!, close(false), {})).lines.map((line) => [
        line.side,
        line.accountCode,
        line.amount,
      ]),
    ).toEqual([
      ['debit', '1300', '2500.00'],
      ['credit', '1200', '2500.00'],
    ]);
    const boughtOut = matchingRules(rules, close(true).data, 'LESSOR');
    expect(boughtOut.map((rule) => rule.name)).toEqual(['Lease closed with buyout']);
    expect(draftFromRule(boughtOut[0]!, close(true), {})).toEqual({ outcome: 'nothing' });
  });
});

describe('draftFromRule', () => {
  const rule = compiled(DEFAULT_POSTING_RULES.find((r) => r.name === 'Payment received for a contract')!);
  const event = {
    id: 'e1',
    type: 'lessor.billing.payment.received.v1',
    data: payment('0193a1b2-0000-7000-8000-0000000000c1'),
  };

  it('should make a dated, described entry with the counterparty and contract on each line', () => {
    expect(draftOf(draftFromRule(rule, event, {}))).toEqual({
      legalEntity: 'LESSOR',
      entryDate: '2026-03-01',
      kind: 'event',
      description: 'Payment REF',
      sourceEventId: 'e1',
      sourceEventType: 'lessor.billing.payment.received.v1',
      postingRuleId: 'rule',
      lines: [
        {
          accountCode: '1000',
          currency: 'EUR',
          side: 'debit',
          amount: '100.50',
          counterpartyId: '0193a1b2-0000-7000-8000-000000000002',
          contractId: '0193a1b2-0000-7000-8000-0000000000c1',
        },
        expect.objectContaining({ accountCode: '2200', side: 'credit', amount: '100.50' }),
      ],
    });
  });

  it('should leave out zero lines, flip negative ones and refuse a missing amount', () => {
    const custom = compiled({
      ...DEFAULT_POSTING_RULES.find((r) => r.name === 'Payment received for a contract')!,
      lines: [
        { accountCode: '1000', side: 'debit', amount: 'amount - 200' },
        { accountCode: '2200', side: 'credit', amount: 'amount - 200' },
        { accountCode: '2900', side: 'credit', amount: '0' },
      ],
    });
    expect(
      draftOf(draftFromRule(custom, event, {})).lines.map((line) => [
        line.accountCode,
        line.side,
        line.amount,
      ]),
    ).toEqual([
      ['1000', 'credit', '99.50'],
      ['2200', 'debit', '99.50'],
    ]);
    const missing = compiled({
      ...custom,
      lines: [{ accountCode: '1000', side: 'debit', amount: 'partyId' }],
    });
    expect(draftFromRule(missing, { ...event, data: payment(null) }, {})).toEqual({
      outcome: 'refused',
      refusal: {
        code: 'DATA_PATH_MISSING',
        message: 'rule “Payment received for a contract” line 1: partyId is missing in the event',
        lines: [{ line: 0, message: 'partyId is missing' }],
      },
    });
    const derived = compiled(DEFAULT_POSTING_RULES.find((r) => r.name === 'Lease terminated early')!);
    expect(
      draftFromRule(
        derived,
        {
          id: 'e',
          type: derived.eventType,
          data: {
            businessDate: '2026-01-01',
            contract: { legalEntity: 'LESSOR', currency: 'EUR', id: 'c9' },
          },
        },
        {},
      ),
    ).toMatchObject({
      outcome: 'refused',
      refusal: { code: 'DATA_PATH_MISSING', message: expect.stringContaining('no schedule for contract c9') },
    });
  });
});

describe('ruleErrors', () => {
  const base = DEFAULT_POSTING_RULES.find((r) => r.name === 'Penalty charged')!;

  it('should name every broken field', () => {
    expect(
      ruleErrors(
        {
          ...base,
          conditions: [{ path: 'kynd', op: 'equals' }],
          datePath: 'amount.x',
          lines: [
            { accountCode: '1100', side: 'debit', amount: 'amount *' },
            { accountCode: '9999', side: 'debit', amount: 'amunt + $foo' },
          ],
        },
        context,
      ),
    ).toEqual([
      {
        field: '/body/conditions/0/path',
        message: 'kynd is not in the data of lessor.billing.penalty.charged.v1',
      },
      { field: '/body/conditions/0/value', message: 'equals needs a value' },
      {
        field: '/body/datePath',
        message: 'amount.x is not in the data of lessor.billing.penalty.charged.v1',
      },
      { field: '/body/lines/0/amount', message: 'expected + or - at position 8, found "*"' },
      {
        field: '/body/lines/1/amount',
        message: 'amunt is not in the data of lessor.billing.penalty.charged.v1',
      },
      { field: '/body/lines/1/amount', message: '$foo is not derived for lessor.billing.penalty.charged.v1' },
      { field: '/body/lines/1/accountCode', message: 'account 9999 is not in the chart of LESSOR' },
      { field: '/body/lines', message: 'a rule needs a debit line and a credit line' },
    ]);
  });

  it('should accept a rule without lines (it posts nothing) but not lines on one side only', () => {
    expect(ruleErrors({ ...base, lines: [] }, context)).toEqual([]);
    expect(
      ruleErrors({ ...base, lines: [{ accountCode: '1100', side: 'credit', amount: 'amount' }] }, context),
    ).toEqual([{ field: '/body/lines', message: 'a rule needs a debit line and a credit line' }]);
  });

  it('should refuse an event type finance does not receive', () => {
    expect(ruleErrors({ ...base, eventType: 'lessor.sso.user.created.v1' }, context)[0]!.field).toBe(
      '/body/eventType',
    );
  });
});

describe('matching and descriptions', () => {
  it('should prefer a rule made for the legal entity over one for all', () => {
    const general = compiled(DEFAULT_POSTING_RULES[4]!, 'general');
    const specific = compiled({ ...DEFAULT_POSTING_RULES[4]!, legalEntity: 'LESSOR' }, 'specific');
    expect(matchingRules([general, specific], payment('c'), 'LESSOR').map((rule) => rule.id)).toEqual([
      'specific',
    ]);
    expect(matchingRules([general, specific], payment('c'), 'OTHER').map((rule) => rule.id)).toEqual([
      'general',
    ]);
  });

  it('should fill a description from the data and mark what is absent', () => {
    expect(renderDescription('Invoice {number} ({kind}) {missing}', { number: 'INV-1', kind: 'fee' })).toBe(
      'Invoice INV-1 (fee) ?',
    );
  });

  it('should find the facts of leasing events in their contract snapshot', () => {
    expect(eventFacts({ contract: { legalEntity: 'L', currency: 'CHF', partyId: 'p', id: 'c' } })).toEqual({
      legalEntity: 'L',
      currency: 'CHF',
      counterpartyId: 'p',
      contractId: 'c',
    });
  });
});
