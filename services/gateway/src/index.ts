export { gatewayService } from './gateway.service.ts';
export { gatewayConfigSchema, type GatewayConfig } from './config.ts';
export { gatewayErrors } from './gateway.errors.ts';
