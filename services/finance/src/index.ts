export { buildApp, FINANCE_VERSION, type FinanceDeps } from './app.ts';
export { financeConfigSchema, loadFinanceConfig, type FinanceConfig } from './config.ts';
