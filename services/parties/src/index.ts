export { buildApp, PARTIES_VERSION, type PartiesDeps } from './app.ts';
export { loadPartiesConfig, partiesConfigSchema, type PartiesConfig } from './config.ts';
export { partiesErrors } from './parties.errors.ts';
