export { buildApp, LEASING_CLIENT_SCOPES, LEASING_VERSION, type LeasingDeps } from './app.ts';
export { leasingConfigSchema, loadLeasingConfig, type LeasingConfig } from './config.ts';
