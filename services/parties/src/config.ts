import { serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

/** What parties reads from the environment besides the settings of every service; its port is in its definition. */
export const partiesConfigSchema = serviceConfigSchema({
  PARTIES_SUMMARY_MAX_AGE_SECONDS: Type.Integer({
    minimum: 0,
    maximum: 300,
    default: 30,
    description:
      'How long a caller may reuse a party summary without asking again (Cache-Control max-age); short, ' +
      'because it carries the KYC status.',
  }),
});

export type PartiesConfig = Static<typeof partiesConfigSchema>;
