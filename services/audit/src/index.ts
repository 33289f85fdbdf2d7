export { auditService } from './audit.service.ts';
export { auditConfigSchema, type AuditConfig } from './config.ts';
