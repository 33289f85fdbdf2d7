import { defineErrors } from '@lessor/service-kit';

/** The refusals of integration beyond the kit's own codes (listed in docs/errors.md). */
export const integrationErrors = defineErrors('integration', {
  INTEGRATION_SYNC_RUNNING: {
    status: 409,
    title: 'A sync run is under way',
    description:
      'One run at a time: `GET /v1/sync` shows the one under way and its progress; start another when it ends.',
  },
});
