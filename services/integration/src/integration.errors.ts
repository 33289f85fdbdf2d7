import { defineErrors } from '@lessor/service-kit';

/** The refusals of integration beyond the kit's own codes (listed in docs/errors.md). */
export const integrationErrors = defineErrors('integration', {
  INTEGRATION_CONFLICT_RESOLVED: {
    status: 409,
    title: 'The conflict is already resolved',
    description:
      'A conflict is resolved once (`take-crm` or `keep-lessor`); `GET /v1/conflicts/{id}` shows how and by whom. ' +
      'A later change in the CRM raises a new one.',
  },
  INTEGRATION_CONFLICT_REFUSED: {
    status: 422,
    title: 'parties refused the CRM’s value',
    description:
      'Taking the CRM’s value changes the party through parties’ API, which checks it as any change (a tax id ' +
      'that does not fit the country, one another party holds): `detail` gives parties’ reason. The conflict stays open.',
  },
  INTEGRATION_PARTIES_UNAVAILABLE: {
    status: 503,
    title: 'parties did not answer',
    description:
      'Resolving a conflict changes the party through parties; try again when it answers (`Retry-After`).',
  },
  INTEGRATION_RUN_ACTIVE: {
    status: 409,
    title: 'A run of this connector is under way',
    description:
      'One run per connector at a time, on any replica: `GET /v1/runs?connectorId=…&status=running` shows the one ' +
      'queued or under way and its progress; start another when it ends.',
  },
  INTEGRATION_CONNECTOR_DISABLED: {
    status: 409,
    title: 'The connector is disabled',
    description:
      'A disabled connector neither runs nor sends; enable it (`PATCH` with `enabled: true`) first.',
  },
  INTEGRATION_CONNECTOR_NAME_TAKEN: {
    status: 409,
    title: 'Another connector has this name',
    description:
      'Names are unique among live connectors (case aside); a deleted one’s restore is refused likewise.',
  },
  INTEGRATION_RUNS_NOT_SUPPORTED: {
    status: 409,
    title: 'This kind of connector has no sync runs',
    description:
      'Sync runs read records from a CRM; an accounting connector only receives what the export sends it.',
  },
  INTEGRATION_CREDENTIALS_KEY_MISSING: {
    status: 503,
    title: 'No credentials key is configured',
    description:
      'A password or client secret is stored encrypted with the key of `INTEGRATION_CREDENTIALS_KEY` ' +
      '(`_KEYS`, `_KEY_FILE`); set one (README: Connectors and runs) and restart the service.',
  },
  INTEGRATION_CREDENTIALS_UNREADABLE: {
    status: 503,
    title: 'The connector’s credentials cannot be opened',
    description:
      'They were sealed with a key that is no longer configured (or another key under its id): put the old key ' +
      'back among `INTEGRATION_CREDENTIALS_KEYS`, or write the credentials again.',
  },
  INTEGRATION_EXPORT_NOT_REFUSED: {
    status: 409,
    title: 'The exported entry is not refused',
    description:
      'Only an entry the accounting system refused is sent again by hand; a pending one is sent by the export job, an acknowledged one never again. `GET /v1/exports/{entryId}` shows its status.',
  },
});
