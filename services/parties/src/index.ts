export { partiesService } from './parties.service.ts';
export { partiesConfigSchema, type PartiesConfig } from './config.ts';
export { partiesErrors } from './parties.errors.ts';
