import type { paths } from '../../api/schema/leasing.ts';
import { compareDecimal, parseDecimalInput } from '../calculator/decimal.ts';
import type { Product, ScheduleType } from '../calculator/types.ts';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
export type CreateProductBody = NonNullable<Json<paths['/v1/products']['post']['requestBody']>>;
export type UpdateProductBody = NonNullable<Json<paths['/v1/products/{id}']['patch']['requestBody']>>;

export interface FeeValues {
  name: string;
  kind: 'percent' | 'amount';
  value: string;
}

/** A product as the form holds it: numbers of months as numbers, every percent and amount as typed text. */
export interface ProductFormValues {
  code: string;
  name: string;
  description: string;
  currencies: string[];
  scheduleTypes: ScheduleType[];
  minTermMonths: number | '';
  maxTermMonths: number | '';
  minRate: string;
  maxRate: string;
  maxAdvancePercent: string;
  maxResidualPercent: string;
  penaltyRate: string;
  fees: FeeValues[];
}

/** What a new product starts from: the service's own defaults where it has them. */
export const NEW_PRODUCT: ProductFormValues = {
  code: '',
  name: '',
  description: '',
  currencies: ['EUR'],
  scheduleTypes: ['annuity'],
  minTermMonths: 12,
  maxTermMonths: 60,
  minRate: '',
  maxRate: '',
  maxAdvancePercent: '50',
  maxResidualPercent: '50',
  penaltyRate: '0.05',
  fees: [],
};

export function valuesOfProduct(product: Product): ProductFormValues {
  return {
    code: product.code,
    name: product.name,
    description: product.description,
    currencies: [...product.currencies],
    scheduleTypes: [...product.scheduleTypes],
    minTermMonths: product.minTermMonths,
    maxTermMonths: product.maxTermMonths,
    minRate: product.minRate,
    maxRate: product.maxRate,
    maxAdvancePercent: product.maxAdvancePercent,
    maxResidualPercent: product.maxResidualPercent,
    penaltyRate: product.penaltyRate,
    fees: product.fees.map((fee) =>
      'percent' in fee
        ? { name: fee.name, kind: 'percent', value: fee.percent }
        : { name: fee.name, kind: 'amount', value: fee.amount },
    ),
  };
}

const CODE = /^[A-Z0-9][A-Z0-9-]{1,31}$/;
const PERCENT = /^(100(\.0{1,4})?|\d{1,2}(\.\d{1,4})?)$/;
const AMOUNT = /^\d{1,13}(\.\d{1,4})?$/;
const PENALTY = /^\d{1,2}(\.\d{1,6})?$/;

/** A decimal as typed (comma or point) in the API's form, when it matches `pattern`. */
function decimal(input: string, pattern: RegExp): string | null {
  const parsed = parseDecimalInput(input);
  return parsed !== null && pattern.test(parsed) ? parsed : null;
}

const months = (value: number | '') => value !== '' && Number.isInteger(value) && value >= 1 && value <= 600;

/**
 * The form's checks, as keys of `validation.*`: the same rules the API's schema has, so most mistakes show
 * before sending. Ranges are checked when both ends are valid; the API checks them again, naming the field.
 */
export function validateProduct(values: ProductFormValues, isNew: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (isNew && !CODE.test(values.code)) errors.code = values.code === '' ? 'required' : 'code';
  if (values.name.trim() === '') errors.name = 'required';
  if (values.currencies.length === 0) errors.currencies = 'atLeastOne';
  if (values.scheduleTypes.length === 0) errors.scheduleTypes = 'atLeastOne';
  for (const field of ['minTermMonths', 'maxTermMonths'] as const)
    if (!months(values[field])) errors[field] = values[field] === '' ? 'required' : 'months';
  for (const field of ['minRate', 'maxRate', 'maxAdvancePercent', 'maxResidualPercent'] as const)
    if (decimal(values[field], PERCENT) === null)
      errors[field] = values[field] === '' ? 'required' : 'percent';
  if (decimal(values.penaltyRate, PENALTY) === null)
    errors.penaltyRate = values.penaltyRate === '' ? 'required' : 'penaltyRate';
  if (!errors.minTermMonths && !errors.maxTermMonths && values.minTermMonths > values.maxTermMonths)
    errors.maxTermMonths = 'maxTerm';
  if (!errors.minRate && !errors.maxRate) {
    const [min, max] = [decimal(values.minRate, PERCENT)!, decimal(values.maxRate, PERCENT)!];
    if (compareDecimal(min, max) > 0) errors.maxRate = 'maxRate';
  }
  values.fees.forEach((fee, index) => {
    if (fee.name.trim() === '') errors[`fees.${index}.name`] = 'required';
    const pattern = fee.kind === 'percent' ? PERCENT : AMOUNT;
    if (decimal(fee.value, pattern) === null)
      errors[`fees.${index}.value`] = fee.value === '' ? 'required' : fee.kind;
  });
  return errors;
}

/** The body the API takes, from values that passed `validateProduct`. */
export function productBody(values: ProductFormValues): Omit<CreateProductBody, 'code' | 'active'> {
  return {
    name: values.name.trim(),
    description: values.description.trim(),
    currencies: values.currencies,
    scheduleTypes: values.scheduleTypes,
    minTermMonths: Number(values.minTermMonths),
    maxTermMonths: Number(values.maxTermMonths),
    minRate: parseDecimalInput(values.minRate)!,
    maxRate: parseDecimalInput(values.maxRate)!,
    maxAdvancePercent: parseDecimalInput(values.maxAdvancePercent)!,
    maxResidualPercent: parseDecimalInput(values.maxResidualPercent)!,
    penaltyRate: parseDecimalInput(values.penaltyRate)!,
    fees: values.fees.map((fee) =>
      fee.kind === 'percent'
        ? { name: fee.name.trim(), percent: parseDecimalInput(fee.value)! }
        : { name: fee.name.trim(), amount: parseDecimalInput(fee.value)! },
    ),
  };
}

/** The form's field for a name the API's problem uses: a fee's `percent` or `amount` is its `value`. */
export function formFieldOf(apiField: string): string {
  return apiField.replace(/^fees\.(\d+)\.(percent|amount)$/, 'fees.$1.value');
}
