export { integrationService, type IntegrationOptions } from './integration.service.ts';
export { integrationConfigSchema, type IntegrationConfig } from './config.ts';
export { integrationErrors } from './integration.errors.ts';
export type { IntegrationDatabase } from './database.ts';
