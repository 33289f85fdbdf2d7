import { hasPermission } from '@lessor/auth/permissions';
import { api } from '../../../api/clients.ts';
import type { paths as AuditPaths } from '../../../api/schema/audit.ts';
import type { PermissionRule } from '../../area.ts';

/**
 * The services that consume events and so can park them: those whose openapi.json has `/v1/events/parked`
 * (sso and parties publish only; a test keeps this list in step with the specs).
 */
export const EVENT_SERVICES = ['assets', 'audit', 'billing', 'finance', 'integration', 'leasing'] as const;
export type EventService = (typeof EVENT_SERVICES)[number];

/** "Parked events" is for whoever may read the parked events of any service. */
export const PARKED_EVENTS_PERMISSION: PermissionRule = {
  anyOf: EVENT_SERVICES.map((service) => `${service}:events:read`),
};

/** A parked event as every service's events API answers it (the service kit's routes, one shape for all). */
export type ParkedEvent =
  AuditPaths['/v1/events/parked/{id}']['get']['responses'][200]['content']['application/json'];

type EventsClient = Pick<typeof api.audit, 'GET' | 'POST'>;

/**
 * The typed client of one service's events API. The routes come from the service kit and are the same in
 * every service, so audit's generated types describe each of them.
 */
export function eventsClient(service: EventService): EventsClient {
  return api[service] as unknown as EventsClient;
}

/** The services whose parked events `granted` permissions may read, in menu order. */
export function readableEventServices(granted: readonly string[]): EventService[] {
  return EVENT_SERVICES.filter((service) => hasPermission(granted, `${service}:events:read`));
}
