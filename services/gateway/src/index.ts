export { buildApp, GATEWAY_VERSION, type GatewayDeps } from './app.ts';
export { gatewayConfigSchema, loadGatewayConfig, type GatewayConfig } from './config.ts';
export { gatewayErrors } from './gateway.errors.ts';
