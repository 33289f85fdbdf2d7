import { ssoEvents } from '@lessor/event-catalog';
import type { EventTransaction, ServiceEvents } from '@lessor/service-kit';
import type { ClientRow } from './clients/client.repository.ts';
import type { RoleRow } from './roles/role.repository.ts';
import type { UserWithRoles } from './users/user.service.ts';

/**
 * What sso tells the rest of Lessor, always from inside the transaction of the change (through the outbox):
 * the snapshots carry what another service may know — never a password hash or a client secret hash.
 */
export function userSnapshot(user: UserWithRoles) {
  return {
    id: user.id,
    username: user.username,
    fullName: user.fullName,
    email: user.email,
    active: user.active,
    roles: user.roles.map((role) => ({ id: role.id, name: role.name })),
  };
}

export function roleSnapshot(role: RoleRow) {
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    permissions: role.permissions,
    builtIn: role.builtIn,
  };
}

export function clientSnapshot(client: ClientRow) {
  return {
    id: client.id,
    clientId: client.clientId,
    name: client.name,
    scopes: client.scopes,
    active: client.active,
  };
}

type Action = 'created' | 'updated' | 'deleted' | 'restored';

/** sso's publishing, one method per kind of fact, so use cases read as what happened. */
export class SsoEvents {
  constructor(private readonly events: ServiceEvents) {}

  userChanged(
    trx: EventTransaction,
    action: Action,
    before: UserWithRoles | null,
    after: UserWithRoles,
    actor: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'user',
      action,
      entityId: after.id,
      before: before && userSnapshot(before),
      after: userSnapshot(after),
      actor,
    });
  }

  roleChanged(trx: EventTransaction, action: Action, before: RoleRow | null, after: RoleRow, actor: string) {
    return this.events.publishChange(trx, {
      entity: 'role',
      action,
      entityId: after.id,
      before: before && roleSnapshot(before),
      after: roleSnapshot(after),
      actor,
    });
  }

  clientChanged(
    trx: EventTransaction,
    action: Action,
    before: ClientRow | null,
    after: ClientRow,
    actor: string,
  ) {
    return this.events.publishChange(trx, {
      entity: 'service-client',
      action,
      entityId: after.id,
      before: before && clientSnapshot(before),
      after: clientSnapshot(after),
      actor,
    });
  }

  roleGranted(
    trx: EventTransaction,
    grant: { userId: string; roleId: string; roleName: string },
    actor: string,
    revoked = false,
  ) {
    const definition = revoked ? ssoEvents.roleRevoked : ssoEvents.roleGranted;
    return this.events.publish(trx, { type: definition.type, subject: grant.userId, data: grant, actor });
  }

  passwordChanged(trx: EventTransaction, userId: string, by: 'self' | 'admin', actor: string) {
    return this.events.publish(trx, {
      type: ssoEvents.passwordChanged.type,
      subject: userId,
      data: { userId, by },
      actor,
    });
  }

  loginSucceeded(trx: EventTransaction, data: { userId: string; username: string; address: string }) {
    return this.events.publish(trx, {
      type: ssoEvents.loginSucceeded.type,
      subject: data.userId,
      data,
      actor: data.userId,
    });
  }

  loginFailed(trx: EventTransaction, data: { username: string; address: string }) {
    return this.events.publish(trx, {
      type: ssoEvents.loginFailed.type,
      subject: data.username,
      data: { ...data, reason: 'invalid-credentials' as const },
      actor: 'anonymous',
    });
  }

  loginLocked(
    trx: EventTransaction,
    data: {
      username: string;
      address: string;
      retryAfterSeconds: number;
      scope: 'account-address' | 'account' | 'address';
      attempts: number;
    },
  ) {
    return this.events.publish(trx, {
      type: ssoEvents.loginLocked.type,
      subject: data.username,
      data,
      actor: 'anonymous',
    });
  }

  loginUnlocked(
    trx: EventTransaction,
    data: { userId: string; username: string; addresses: number },
    actor: string,
  ) {
    return this.events.publish(trx, {
      type: ssoEvents.loginUnlocked.type,
      subject: data.userId,
      data,
      actor,
    });
  }

  tokenReuseDetected(
    trx: EventTransaction,
    data: { userId: string; familyId: string; revokedTokens: number },
  ) {
    return this.events.publish(trx, {
      type: ssoEvents.tokenReuseDetected.type,
      subject: data.userId,
      data,
      actor: 'anonymous',
    });
  }

  signingKeyRotated(trx: EventTransaction, data: { kid: string; activatesAt: string }) {
    return this.events.publish(trx, { type: ssoEvents.signingKeyRotated.type, subject: data.kid, data });
  }
}
