export { assetsService, type AssetsOptions } from './assets.service.ts';
export { assetsConfigSchema, type AssetsConfig } from './config.ts';
export { assetsErrors } from './assets.errors.ts';
