import { defineErrors } from '@lessor/service-kit';

/** The refusals of the gateway beyond the kit's own codes. */
export const gatewayErrors = defineErrors('gateway', {
  UNKNOWN_SERVICE: {
    status: 404,
    title: 'No such service',
    description:
      'The first path segment after /api/ names no service the gateway knows; GET /api/gateway/v1/services lists them.',
  },
});
