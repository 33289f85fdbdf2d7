export { isKnownCurrency, knownCurrencies, minorUnits } from './currencies.ts';
export { addMonthsClamped, days360US } from './dates.ts';
export { LeaseTermsError, type LeaseTermsIssue } from './errors.ts';
export { pmt, xirr, type CashFlow } from './finance.ts';
export { restructureSchedule, type RestructuringInput } from './restructuring.ts';
export {
  calculateSchedule,
  effectiveRateFlows,
  type Installment,
  type LeaseSchedule,
  type LeaseTotals,
  type Restructuring,
} from './schedule.ts';
export {
  earlyTerminationQuote,
  type OverdueInstallment,
  type TerminationInput,
  type TerminationQuote,
} from './termination.ts';
export type { DayCount, LeaseFee, LeaseTerms, ScheduleType } from './terms.ts';
