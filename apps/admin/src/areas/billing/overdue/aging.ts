import type { AgingCurrency } from '../common/types.ts';

/** The buckets in the order a reader expects them: from not yet due to longest overdue. */
export const AGING_BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export interface AgingBar {
  bucket: AgingBucket;
  /** The bucket's name as the chart's axis shows it. */
  label: string;
  /** For drawing only (recharts needs numbers); every amount shown as text comes from `exact`. */
  amount: number;
  exact: string;
  invoices: number;
}

/**
 * The bars of one currency's aging chart: the five buckets always, in order, a bucket the API left out drawn
 * as zero. The API's decimal string is kept in `exact` for the text; `amount` is Number() of it only to draw.
 */
export function agingChartData(aging: AgingCurrency, label: (bucket: AgingBucket) => string): AgingBar[] {
  return AGING_BUCKETS.map((bucket) => {
    const found = aging.buckets.find((entry) => entry.bucket === bucket);
    const exact = found?.amount.amount ?? '0';
    return { bucket, label: label(bucket), amount: Number(exact), exact, invoices: found?.invoices ?? 0 };
  });
}
