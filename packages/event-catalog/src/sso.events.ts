import { Type } from 'typebox';
import { defineChangeEvents } from './change-events.ts';
import { defineEvent } from './define-event.ts';
import { oneOfLiterals } from './literals.ts';

// The events of sso: users, roles, service clients, sign-in and keys. Snapshots carry what another service
// may know; password hashes, client secret hashes, refresh tokens and private keys never leave sso.

const Id = (description: string) => Type.String({ format: 'uuid', description });
const Address = Type.String({
  maxLength: 128,
  description: 'The IP address the request came from, as sso saw it behind the trusted proxies.',
});
const Username = Type.String({
  maxLength: 64,
  description: 'The username as typed (sso compares it regardless of case).',
});

/** What another service may know of a user: no password hash, no sessions. */
export const UserSnapshot = Type.Object({
  id: Id('The user id.'),
  username: Type.String({ description: 'Unique regardless of case.' }),
  fullName: Type.String(),
  email: Type.Union([Type.String({ format: 'email' }), Type.Null()]),
  active: Type.Boolean({ description: 'False: the user cannot sign in and their sessions have ended.' }),
  roles: Type.Array(Type.Object({ id: Id('The role id.'), name: Type.String() }), {
    description: 'The roles granted to the user.',
  }),
});

/** What another service may know of a role. */
export const RoleSnapshot = Type.Object({
  id: Id('The role id.'),
  name: Type.String(),
  description: Type.String(),
  permissions: Type.Array(Type.String(), {
    description: 'Permission grants `<service>:<resource>:<action>`; `*` may stand for a segment.',
  }),
  builtIn: Type.Boolean({ description: 'Built-in roles (admin) cannot be deleted or renamed.' }),
});

/** What another service may know of a service client: no client secret hash. */
export const ServiceClientSnapshot = Type.Object({
  id: Id('The service client id.'),
  clientId: Type.String({ description: 'The OAuth client_id the service signs in with.' }),
  name: Type.String(),
  scopes: Type.Array(Type.String(), { description: 'The permissions its tokens may carry.' }),
  active: Type.Boolean({ description: 'False: the client gets no more tokens.' }),
});

const userChanges = defineChangeEvents({
  publisher: 'sso',
  entity: 'user',
  snapshot: UserSnapshot,
  description:
    'A user is a person who signs in to Lessor. Granting or revoking a role publishes role.granted or ' +
    'role.revoked rather than this event; `roles` in later snapshots shows the result.',
});
const roleChanges = defineChangeEvents({
  publisher: 'sso',
  entity: 'role',
  snapshot: RoleSnapshot,
  description: 'A role is a named set of permissions granted to users.',
});
const serviceClientChanges = defineChangeEvents({
  publisher: 'sso',
  entity: 'service-client',
  snapshot: ServiceClientSnapshot,
  description:
    'A service client is a Lessor service or an integration that gets tokens with its client secret.',
});

const RoleGrant = Type.Object({
  userId: Id('The user who gained or lost the role.'),
  roleId: Id('The role.'),
  roleName: Type.String({ description: 'The role name at the time of the grant.' }),
});

/** Every event sso publishes, by name: `ssoEvents.userCreated.type === 'lessor.sso.user.created.v1'`. */
export const ssoEvents = {
  userCreated: userChanges.created,
  userUpdated: userChanges.updated,
  userDeleted: userChanges.deleted,
  userRestored: userChanges.restored,
  roleCreated: roleChanges.created,
  roleUpdated: roleChanges.updated,
  roleDeleted: roleChanges.deleted,
  roleRestored: roleChanges.restored,
  serviceClientCreated: serviceClientChanges.created,
  serviceClientUpdated: serviceClientChanges.updated,
  serviceClientDeleted: serviceClientChanges.deleted,
  serviceClientRestored: serviceClientChanges.restored,

  roleGranted: defineEvent({
    type: 'lessor.sso.role.granted.v1',
    publisher: 'sso',
    category: 'security',
    subject: 'userId',
    description:
      'Fires when a role is granted to a user (at creation or later), in the transaction that grants it. ' +
      'The user’s next token carries the role’s permissions; tokens already issued keep the old ones until they expire.',
    data: RoleGrant,
  }),
  roleRevoked: defineEvent({
    type: 'lessor.sso.role.revoked.v1',
    publisher: 'sso',
    category: 'security',
    subject: 'userId',
    description:
      'Fires when a role is taken from a user, in the transaction that revokes it. Tokens already issued keep ' +
      'the role’s permissions until they expire (minutes).',
    data: RoleGrant,
  }),

  loginSucceeded: defineEvent({
    type: 'lessor.sso.login.succeeded.v1',
    publisher: 'sso',
    category: 'security',
    subject: 'userId',
    description: 'Fires when a user signs in with the right password and gets a new session.',
    data: Type.Object({ userId: Id('The user who signed in.'), username: Username, address: Address }),
  }),
  loginFailed: defineEvent({
    type: 'lessor.sso.login.failed.v1',
    publisher: 'sso',
    category: 'security',
    subject: 'username',
    description:
      'Fires when a sign-in is refused: unknown user, wrong password or disabled user — one reason, so the ' +
      'event (like the answer) does not tell which usernames exist.',
    data: Type.Object({
      username: Username,
      address: Address,
      reason: Type.Literal('invalid-credentials', { description: 'Why the sign-in was refused.' }),
    }),
  }),
  loginLocked: defineEvent({
    type: 'lessor.sso.login.locked.v1',
    publisher: 'sso',
    category: 'security',
    subject: 'username',
    description:
      'Fires when a sign-in throttle engages (ADR 14), once per lock, not per refused try: an address that ' +
      'failed at an account again after its free failures (it waits, longer each time), an account reaching its ' +
      'ceiling of failures across addresses (addresses that failed at it wait; others may still sign in), or an ' +
      'address trying too many sign-ins at any accounts. Refused tries under a lock are logged, not published.',
    data: Type.Object({
      username: Username,
      address: Address,
      retryAfterSeconds: Type.Integer({ minimum: 1, description: 'When a sign-in may be tried again.' }),
      scope: Type.Optional(
        oneOfLiterals(['account-address', 'account', 'address'], {
          description:
            'What is held back: `account-address` this address at this account, `account` every address ' +
            'that failed at the account, `address` this address at any account. Absent before release 0.2.',
        }),
      ),
      attempts: Type.Optional(
        Type.Integer({
          minimum: 1,
          description:
            'The attempts that engaged the lock: the address’s failures at the account, the account’s failures ' +
            'from all addresses, or the address’s sign-ins (`address`).',
        }),
      ),
    }),
  }),
  loginUnlocked: defineEvent({
    type: 'lessor.sso.login.unlocked.v1',
    publisher: 'sso',
    category: 'security',
    subject: 'userId',
    description:
      'Fires when an administrator lifts the sign-in throttling of a user: the failures so far no longer count, ' +
      'from any address. The envelope’s actor is the administrator.',
    data: Type.Object({
      userId: Id('The user whose throttling was lifted.'),
      username: Username,
      addresses: Type.Integer({
        minimum: 0,
        description: 'How many addresses were held back from the account when the lock was lifted.',
      }),
    }),
  }),
  tokenReuseDetected: defineEvent({
    type: 'lessor.sso.token.reuse-detected.v1',
    publisher: 'sso',
    category: 'security',
    subject: 'userId',
    description:
      'Fires when a refresh token that was already used is presented again — it was copied — and sso revokes ' +
      'the whole session (token family) it belongs to.',
    data: Type.Object({
      userId: Id('The user whose session was revoked.'),
      familyId: Id('The session (refresh token family).'),
      revokedTokens: Type.Integer({ minimum: 0, description: 'How many live refresh tokens were revoked.' }),
    }),
  }),
  passwordChanged: defineEvent({
    type: 'lessor.sso.password.changed.v1',
    publisher: 'sso',
    category: 'security',
    subject: 'userId',
    description:
      'Fires when a user’s password changes, in the same transaction: by the user (their other sessions end) ' +
      'or set by an administrator (all their sessions end). Carries neither password nor hash.',
    data: Type.Object({
      userId: Id('The user whose password changed.'),
      by: oneOfLiterals(['self', 'admin'], {
        description: '`self`: the user, proving the old password; `admin`: an administrator set it.',
      }),
    }),
  }),
  signingKeyRotated: defineEvent({
    type: 'lessor.sso.signing-key.rotated.v1',
    publisher: 'sso',
    category: 'security',
    subject: 'kid',
    description:
      'Fires when sso publishes a new token signing key (by schedule or by an administrator). The key is in ' +
      'the JWKS at once and signs from `activatesAt`; the previous key stays published until its tokens expire.',
    data: Type.Object({
      kid: Id('The new key id (the JWT header kid).'),
      activatesAt: Type.String({
        format: 'date-time',
        description: 'When the new key starts signing tokens.',
      }),
    }),
  }),
} as const;
