import { defineErrors } from '@lessor/service-kit';

/** The refusals of sso beyond the kit's own codes (listed in docs/errors.md). */
export const ssoErrors = defineErrors('sso', {
  INVALID_CREDENTIALS: {
    status: 401,
    title: 'Wrong username or password',
    description:
      'The same answer for an unknown user, a wrong password and a disabled account, so nobody can probe which usernames exist.',
  },
  INVALID_REFRESH_TOKEN: {
    status: 401,
    title: 'The refresh token is not valid',
    description:
      'Unknown, expired, revoked or already used. Reusing a used refresh token also revokes every token of its session.',
  },
  LOGIN_RATE_LIMITED: {
    status: 429,
    title: 'Too many login attempts',
    description:
      'Too many failed sign-ins at this account from this address (the wait doubles with each), this address has ' +
      'failed at an account that reached its hourly ceiling, or too many sign-ins from this address; the password ' +
      'was not checked. Retry-After says when to retry. Addresses that have not failed are not held back (ADR 14).',
  },
  USERNAME_TAKEN: {
    status: 409,
    title: 'The username is taken',
    description: 'Usernames are unique, case-insensitively, also against deleted users.',
  },
  ROLE_NAME_TAKEN: {
    status: 409,
    title: 'A role with this name exists',
    description: 'Role names are unique, case-insensitively.',
  },
  CLIENT_ID_TAKEN: {
    status: 409,
    title: 'A service client with this id exists',
    description: 'Client ids are unique.',
  },
  BUILT_IN_ROLE: {
    status: 409,
    title: 'A built-in role cannot be changed this way',
    description:
      'The admin role keeps its permissions and cannot be deleted, so the system always has an administrator.',
  },
  LAST_ADMIN: {
    status: 409,
    title: 'The last active administrator cannot be removed',
    description:
      'Disabling, deleting or revoking the admin role of the last active administrator would lock everyone out.',
  },
  WRONG_CURRENT_PASSWORD: {
    status: 403,
    title: 'The current password is wrong',
    description: 'Changing one’s own password needs the current one.',
  },
  OAUTH_INVALID_REQUEST: {
    status: 400,
    title: 'The token request is malformed',
    description:
      'RFC 6749 §5.2 invalid_request: a required parameter is missing. The body also carries `error`.',
  },
  OAUTH_UNSUPPORTED_GRANT_TYPE: {
    status: 400,
    title: 'Only the client_credentials grant is supported',
    description: 'RFC 6749 §5.2 unsupported_grant_type. Users sign in at /v1/auth/login instead.',
  },
  OAUTH_INVALID_SCOPE: {
    status: 400,
    title: 'A requested scope is not granted to this client',
    description: 'RFC 6749 §5.2 invalid_scope: ask only for scopes the client holds.',
  },
  OAUTH_INVALID_CLIENT: {
    status: 401,
    title: 'Client authentication failed',
    description:
      'RFC 6749 §5.2 invalid_client: unknown client, wrong secret, or an inactive or deleted client.',
  },
});
