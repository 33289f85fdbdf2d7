import { serviceConfigSchema, type Static } from '@lessor/service-kit';

/** What audit reads from the environment: the settings of every service; its port is in its definition. */
export const auditConfigSchema = serviceConfigSchema({});

export type AuditConfig = Static<typeof auditConfigSchema>;
