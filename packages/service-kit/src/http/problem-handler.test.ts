import { describe, expect, it } from 'vitest';
import { fieldErrors, toProblem } from './problem-handler.ts';

describe('toProblem', () => {
  it('should list one entry per field when Ajv reports several errors', () => {
    const problem = toProblem(
      Object.assign(new Error('bad'), {
        validationContext: 'body',
        validation: [
          {
            instancePath: '',
            keyword: 'required',
            params: { missingProperty: 'username' },
            message: "must have required property 'username'",
          },
          { instancePath: '/price', keyword: 'pattern', params: {}, message: 'must match pattern' },
          {
            instancePath: '',
            keyword: 'additionalProperties',
            params: { additionalProperty: 'extra' },
            message: 'x',
          },
        ],
      }),
    );
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((error) => error.field)).toEqual([
      '/body/username',
      '/body/price',
      '/body/extra',
    ]);
  });

  it('should map database refusals caused by the data to 409 and 400, and the unknown to 500', () => {
    expect(toProblem(Object.assign(new Error('dup'), { code: '23505' })).status).toBe(409);
    expect(toProblem(Object.assign(new Error('bad uuid'), { code: '22P02' })).status).toBe(400);
    const internal = toProblem(new Error('boom'));
    expect(internal.status).toBe(500);
    expect(internal.toBody().detail).toBeUndefined();
  });

  it('should name query fields under /query', () => {
    expect(
      fieldErrors(
        [{ instancePath: '/limit', keyword: 'maximum', params: {}, message: 'must be <= 200' }],
        'querystring',
      ),
    ).toEqual([{ field: '/query/limit', message: 'must be <= 200' }]);
  });

  it('should say a value is not one of the accepted codes when its pattern lists them, not print the list', () => {
    const codes = `^(?:${Array.from({ length: 40 }, (_, i) => `C${String(i).padStart(2, '0')}`).join('|')})$`;
    const message = `must match pattern "${codes}"`;
    expect(
      fieldErrors(
        [
          { instancePath: '/currency', keyword: 'pattern', params: { pattern: codes }, message },
          { instancePath: '/code', keyword: 'pattern', params: { pattern: '^[A-Z]{3}$' }, message: 'short' },
        ],
        'body',
      ),
    ).toEqual([
      { field: '/body/currency', message: 'is not one of the accepted codes' },
      { field: '/body/code', message: 'short' },
    ]);
  });
});
