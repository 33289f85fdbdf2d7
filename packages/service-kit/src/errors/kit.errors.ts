import { defineErrors } from './problem.ts';

/** The error codes every service can answer, raised by the kit itself. */
export const kitErrors = defineErrors('kit', {
  VALIDATION_FAILED: {
    status: 400,
    title: 'The request is not valid',
    description: 'A parameter, header or body field failed its schema; `errors[]` names each field.',
  },
  INVALID_CURSOR: {
    status: 400,
    title: 'The paging cursor is not valid',
    description:
      'The `cursor` query parameter was not one this service handed out, or belongs to another sort.',
  },
  UNAUTHENTICATED: {
    status: 401,
    title: 'A valid access token is required',
    description:
      'No bearer token, or one that failed verification (signature, issuer, audience, expiry, type).',
  },
  FORBIDDEN: {
    status: 403,
    title: 'The token lacks the permission this operation needs',
    description: 'The caller is known but its roles or scopes do not grant the permission the route names.',
  },
  NOT_FOUND: {
    status: 404,
    title: 'The resource does not exist',
    description: 'No live resource has this id (a soft-deleted one counts as absent except for admin reads).',
  },
  ROUTE_NOT_FOUND: {
    status: 404,
    title: 'No such route',
    description: 'No route matches this method and path.',
  },
  CONFLICT: {
    status: 409,
    title: 'The request conflicts with the current state',
    description: 'The change cannot be made in the resource’s current state, for example a duplicate key.',
  },
  IDEMPOTENCY_KEY_IN_FLIGHT: {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
    description: 'Retry after the first request with the same key has finished; its answer will be replayed.',
  },
  PRECONDITION_FAILED: {
    status: 412,
    title: 'The resource was changed by someone else',
    description:
      'The If-Match version is not the current one: read the resource again and reapply the change.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'The request body is too large',
    description: 'The body exceeds the size limit of this endpoint.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'The request body has an unsupported content type',
    description: 'Send `application/json` unless the endpoint says otherwise.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    title: 'This Idempotency-Key was used with a different request',
    description:
      'An Idempotency-Key names one request; the same key with another method, path or body is refused.',
  },
  PRECONDITION_REQUIRED: {
    status: 428,
    title: 'An If-Match header is required',
    description: 'Updates and deletes must name the version they change (the ETag of the last read).',
  },
  RATE_LIMITED: {
    status: 429,
    title: 'Too many requests',
    description: 'Slow down; the Retry-After header says when to try again.',
  },
  INTERNAL: {
    status: 500,
    title: 'Internal error',
    description:
      'Something failed inside the service. The answer carries no details; the log has them under the request id.',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    title: 'The service is unavailable',
    description: 'The service or one it depends on is down or not ready. Retry later.',
  },
  UPSTREAM_TIMEOUT: {
    status: 504,
    title: 'The service did not answer in time',
    description: 'A call to another service ran past its deadline.',
  },
});
