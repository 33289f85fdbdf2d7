import type { paths } from '../../../api/schema/billing.ts';

/** The billing API's answers, as generated from its openapi.json (never written by hand). */
type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

export type InvoicePage = Json<paths['/v1/invoices']['get']['responses'][200]>;
export type Invoice = InvoicePage['items'][number];
export type InvoiceDetail = Json<paths['/v1/invoices/{id}']['get']['responses'][200]>;
export type InvoiceStatus = Invoice['status'];
export type InvoiceKind = Invoice['kind'];
export type BillingRun = Json<paths['/v1/billing-runs']['post']['responses'][200]>;
export type PaymentRequest = NonNullable<
  paths['/v1/payments']['post']['requestBody']
>['content']['application/json'];
export type PaymentPage = Json<paths['/v1/payments']['get']['responses'][200]>;
export type Payment = PaymentPage['items'][number];
export type PaymentDetail = Json<paths['/v1/payments/{id}']['get']['responses'][200]>;
export type BankImport = Json<paths['/v1/imports/{id}']['get']['responses'][200]>;
export type BankImportLine = BankImport['lines'][number];
export type BankImportPage = Json<paths['/v1/imports']['get']['responses'][200]>;
export type Aging = Json<paths['/v1/aging']['get']['responses'][200]>;
export type AgingCurrency = Aging['currencies'][number];
export type Money = Invoice['total'];

export const INVOICE_STATUSES: readonly InvoiceStatus[] = [
  'planned',
  'issued',
  'partially-paid',
  'paid',
  'cancelled',
];
export const INVOICE_KINDS: readonly InvoiceKind[] = [
  'advance',
  'installment',
  'termination',
  'buyout',
  'fee',
];
export type CreditNoteRequest = NonNullable<
  paths['/v1/invoices/{id}/credit-notes']['post']['requestBody']
>['content']['application/json'];
export type CreditNoteDetail = Json<paths['/v1/credit-notes/{id}']['get']['responses'][200]>;
