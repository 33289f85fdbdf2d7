import { loadConfig, serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

export const partiesConfigSchema = serviceConfigSchema({
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8103 }),
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

/** Reads parties' configuration from the environment, once, at start. */
export function loadPartiesConfig(
  env: Record<string, string | undefined> = process.env,
): Readonly<PartiesConfig> {
  return loadConfig(partiesConfigSchema, env);
}
