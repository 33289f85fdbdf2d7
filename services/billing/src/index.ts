export { billingService, type BillingOptions } from './billing.service.ts';
export { billingConfigSchema, type BillingConfig } from './config.ts';
export { billingErrors } from './billing.errors.ts';
