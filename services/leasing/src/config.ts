import { callerConfigProperties, serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

/**
 * What leasing reads from the environment besides the settings of every service; its port is in its
 * definition. It calls parties and assets (writes only: the fresh checks) as its own service client.
 */
export const leasingConfigSchema = serviceConfigSchema({
  ...callerConfigProperties('leasing', { parties: 8103, assets: 8105 }),
  LEASING_LEGAL_ENTITY: Type.String({
    default: 'LESSOR',
    pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$',
    description: 'The lessor company a new contract belongs to when the request names none.',
  }),
  LEASING_QUOTE_VALID_DAYS: Type.Integer({
    minimum: 1,
    default: 14,
    description: 'How long an early-termination quote can be executed.',
  }),
});

export type LeasingConfig = Static<typeof leasingConfigSchema>;
