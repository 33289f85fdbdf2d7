export { buildApp, ASSETS_VERSION, type AssetsDeps } from './app.ts';
export { assetsConfigSchema, loadAssetsConfig, type AssetsConfig } from './config.ts';
export { assetsErrors } from './assets.errors.ts';
