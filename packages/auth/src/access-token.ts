/**
 * The access-token contract shared by the signer (`sso`) and every verifier.
 * Both sides import these names so they cannot drift apart.
 */

/** The `typ` header of every Lessor access token (RFC 9068 §2.1). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** The asymmetric algorithms `sso` may sign with; verifiers accept nothing else. */
export const ACCESS_TOKEN_ALGORITHMS = ['EdDSA', 'ES256'] as const;

/** One of {@link ACCESS_TOKEN_ALGORITHMS}. */
export type AccessTokenAlgorithm = (typeof ACCESS_TOKEN_ALGORITHMS)[number];

/** The payload of a Lessor access token. */
export interface AccessTokenClaims {
  /** Issuer: the `sso` issuer name, e.g. `lessor-sso`. */
  iss: string;
  /** Audience the token is meant for. */
  aud: string | string[];
  /** The user id, or for a service-client token the client id. */
  sub: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Not before, seconds since the epoch (optional). */
  nbf?: number;
  /** Unique token id, so a token can be traced in the audit log. */
  jti?: string;
  /** Display name of the user or client. */
  name?: string;
  /** The login name; user tokens only. */
  preferred_username?: string;
  /**
   * Present only in service-client tokens: its presence makes the principal a `client`.
   * The signer must therefore leave it out of user tokens (unlike RFC 9068, which puts it in every token).
   */
  client_id?: string;
  /** Role names, for display and audit; authorization uses `permissions`. */
  roles?: string[];
  /** Granted permissions, `<service>:<resource>:<action>`, `*` allowed as a whole segment. */
  permissions?: string[];
}
