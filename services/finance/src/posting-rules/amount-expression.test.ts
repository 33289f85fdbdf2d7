import { describe, expect, it } from 'vitest';
import { evaluateAmount, parseAmountExpression, parsePath, readPath } from './amount-expression.ts';

describe('parseAmountExpression', () => {
  it('should read paths, literals and derived values with their signs when well formed', () => {
    expect(parseAmountExpression(' amounts.principal + 0.50 - $unbilledInterest ')).toEqual([
      { sign: 1, kind: 'path', path: 'amounts.principal', segments: ['amounts', 'principal'] },
      { sign: 1, kind: 'literal', value: '0.50' },
      { sign: -1, kind: 'derived', name: 'unbilledInterest' },
    ]);
    expect(parseAmountExpression('-schedule.installments[2].interest')).toEqual([
      {
        sign: -1,
        kind: 'path',
        path: 'schedule.installments[2].interest',
        segments: ['schedule', 'installments', 2, 'interest'],
      },
    ]);
  });

  it.each([
    ['', 'empty'],
    ['amounts.total *', 'expected + or -'],
    ['amounts.total +', 'ends with an operator'],
    ['a..b', 'expected + or -'],
    ['$', 'derived value name'],
    ['(1)', 'expected a data path'],
  ])('should refuse %j with a message saying what is wrong', (text, message) => {
    expect(() => parseAmountExpression(text)).toThrow(message);
  });
});

describe('evaluateAmount', () => {
  const data = { amounts: { principal: '100.10', interest: '20.05', vat: null }, list: [{ x: '1' }] };

  it('should add and subtract exactly when every term is a decimal', () => {
    const terms = parseAmountExpression('amounts.principal + amounts.interest - 0.15 + list[0].x');
    expect(evaluateAmount(terms, data, {})).toEqual({ ok: true, value: expect.anything() });
    const result = evaluateAmount(terms, data, {});
    expect(result.ok && result.value.toFixed()).toBe('121');
  });

  it('should say which term is missing when a path is null or absent', () => {
    expect(evaluateAmount(parseAmountExpression('amounts.vat'), data, {})).toMatchObject({
      ok: false,
      reason: 'missing',
      term: 'amounts.vat',
    });
    expect(evaluateAmount(parseAmountExpression('$interestChange'), data, {})).toMatchObject({
      ok: false,
      term: '$interestChange',
    });
  });

  it('should refuse a value that is not a decimal string', () => {
    expect(evaluateAmount(parseAmountExpression('amounts'), data, {})).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });
});

describe('readPath', () => {
  it('should not read inherited properties or index objects', () => {
    expect(readPath({}, parsePath('constructor'))).toBeUndefined();
    expect(readPath({ a: { 0: 'x' } }, ['a', 0])).toBeUndefined();
  });
});
