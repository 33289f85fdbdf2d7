import type { EventDataOf, ssoEvents } from '@lessor/event-catalog';
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

/** One of sso's own catalogue events (a type error for another service's). */
type SsoEvent = (typeof ssoEvents)[keyof typeof ssoEvents];

/**
 * sso's publishing: its own events typed by their catalogue definitions, and the changes of users, roles and
 * service clients with their snapshots made from the rows.
 */
export class SsoEvents {
  constructor(private readonly events: ServiceEvents) {}

  /** Publishes one of sso's events: `publish(trx, ssoEvents.passwordChanged, { data, actor })`. */
  publish<Definition extends SsoEvent>(
    trx: EventTransaction,
    definition: Definition,
    event: { data: EventDataOf<Definition>; actor?: string },
  ) {
    return this.events.publish(trx, definition, event);
  }

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
}
