export {
  billingInternals,
  buildApp,
  BILLING_VERSION,
  type BillingDeps,
  type BillingInternals,
} from './app.ts';
export { billingConfigSchema, loadBillingConfig, type BillingConfig } from './config.ts';
