import { Type } from '@lessor/service-kit';

export const LoginRequest = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);
export const RefreshRequest = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const TokenPair = Type.Object({
  accessToken: Type.String({ description: 'EdDSA-signed JWT (at+jwt), sent as `Authorization: Bearer …`.' }),
  refreshToken: Type.String({ description: 'Opaque; single use: each refresh returns the next one.' }),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires (at most 900).' }),
  tokenType: Type.Literal('Bearer'),
});

export const Me = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('user'), Type.Literal('client')]),
  username: Type.Union([Type.String(), Type.Null()]),
  fullName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  tokenExpiresAt: Type.String({ format: 'date-time' }),
});

export const Jwks = Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) });
export const SigningKeyInfo = Type.Object({
  kid: Type.String(),
  alg: Type.String(),
  activatesAt: Type.String({ format: 'date-time' }),
});

export const LoginThrottleStatus = Type.Object({
  throttled: Type.Boolean({
    description: 'True when at least one address must wait before it may try this account again.',
  }),
  failures: Type.Integer({
    description: 'Failed sign-ins at the account from all addresses in the window, since the last lift.',
  }),
  ceiling: Type.Integer({
    description: 'Failures in the window after which every address that has failed at the account waits.',
  }),
  ceilingReached: Type.Boolean({
    description:
      'The ceiling is reached: addresses that failed wait; addresses that never failed may sign in.',
  }),
  addresses: Type.Array(
    Type.Object({
      address: Type.String({ description: 'The client address, as sso saw it behind the trusted proxies.' }),
      failures: Type.Integer({ description: 'Failures from it since its last success at the account.' }),
      lastFailureAt: Type.String({ format: 'date-time' }),
      retryAfterSeconds: Type.Integer({ description: 'Seconds until it may try again; 0: it may now.' }),
    }),
    { description: 'Addresses with failures at the account, the latest first (at most 50).' },
  ),
});
