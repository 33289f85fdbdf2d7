import type { paths } from '../../api/schema/leasing.ts';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** A lease product: the frame a calculation must fit (generated from services/leasing/openapi.json). */
export type Product = Json<paths['/v1/products/{id}']['get']['responses'][200]>;
export type CalculationRequest = NonNullable<Json<paths['/v1/calculations']['post']['requestBody']>>;
/** A saved calculation with its whole schedule and totals. */
export type Calculation = Json<paths['/v1/calculations']['post']['responses'][201]>;
export type CalculationSummary = Json<paths['/v1/calculations']['get']['responses'][200]>['items'][number];
export type ScheduleLine = Calculation['schedule'][number];
export type ScheduleType = Product['scheduleTypes'][number];
export type DayCount = NonNullable<CalculationRequest['dayCount']>;
export type Money = { amount: string; currency: string };
export type Contract = Json<paths['/v1/contracts']['post']['responses'][201]>;

export const SCHEDULE_TYPES: readonly ScheduleType[] = ['annuity', 'differentiated', 'seasonal'];
export const DAY_COUNTS: readonly DayCount[] = ['30/360', 'actual/365', 'actual/360'];
