export { financeService } from './finance.service.ts';
export { financeConfigSchema, type FinanceConfig } from './config.ts';
export { financeErrors } from './finance.errors.ts';
