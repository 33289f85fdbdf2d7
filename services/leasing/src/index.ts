export { LEASING_CLIENT_SCOPES, leasingService, type LeasingOptions } from './leasing.service.ts';
export { leasingConfigSchema, type LeasingConfig } from './config.ts';
export { leasingErrors } from './leasing.errors.ts';
