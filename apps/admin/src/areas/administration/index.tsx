import { session } from '../../auth/session.ts';
import type { Area, NavEntry } from '../area.ts';
import { AdministrationHome } from './AdministrationHome.tsx';
import { ClientsPage } from './clients/ClientsPage.tsx';
import { EVENT_SERVICES, readableEventServices } from './events/eventServices.ts';
import { ParkedEventsPage } from './events/ParkedEventsPage.tsx';
import { RoleCreatePage, RoleEditPage } from './roles/RolePage.tsx';
import { RolesPage } from './roles/RolesPage.tsx';
import { SystemPage } from './system/SystemPage.tsx';
import { administrationTexts } from './texts.ts';
import { UserPage } from './users/UserPage.tsx';
import { UsersPage } from './users/UsersPage.tsx';

/**
 * "Parked events" is for whoever may read the parked events of any service, but a menu entry names one
 * permission: this one names, when the menu is drawn, the first `<service>:events:read` the signed-in user
 * holds (the first service's when none, which hides the entry). The page itself checks the same way.
 */
const parkedEventsEntry: NavEntry = {
  path: '/administration/events',
  label: 'menu.events',
  get permission() {
    const [first] = readableEventServices(session.snapshot.me?.permissions ?? []);
    return `${first ?? EVENT_SERVICES[0]}:events:read`;
  },
};

const entries: NavEntry[] = [
  { path: '/administration/users', label: 'menu.users', permission: 'sso:users:read' },
  { path: '/administration/roles', label: 'menu.roles', permission: 'sso:roles:read' },
  { path: '/administration/clients', label: 'menu.clients', permission: 'sso:clients:read' },
  parkedEventsEntry,
  { path: '/administration/system', label: 'menu.system', permission: 'gateway:services:read' },
];

/** Users, roles, service clients, parked events of every service, and the system page. */
export const administrationArea: Area = {
  key: 'administration',
  nav: entries,
  pages: [
    // Every signed-in user holds sso:me:read; the page lists only what the user may open.
    { path: 'administration', permission: 'sso:me:read', element: <AdministrationHome entries={entries} /> },
    { path: 'administration/users', permission: 'sso:users:read', element: <UsersPage /> },
    { path: 'administration/users/:id', permission: 'sso:users:read', element: <UserPage /> },
    { path: 'administration/roles', permission: 'sso:roles:read', element: <RolesPage /> },
    { path: 'administration/roles/new', permission: 'sso:roles:write', element: <RoleCreatePage /> },
    { path: 'administration/roles/:id', permission: 'sso:roles:read', element: <RoleEditPage /> },
    { path: 'administration/clients', permission: 'sso:clients:read', element: <ClientsPage /> },
    // Checked inside against each service's `<service>:events:read` (see parkedEventsEntry).
    { path: 'administration/events', permission: 'sso:me:read', element: <ParkedEventsPage /> },
    { path: 'administration/system', permission: 'gateway:services:read', element: <SystemPage /> },
  ],
  texts: administrationTexts,
};
