import type { Area, NavEntry } from '../area.ts';
import { AdministrationHome } from './AdministrationHome.tsx';
import { ClientsPage } from './clients/ClientsPage.tsx';
import { PARKED_EVENTS_PERMISSION } from './events/eventServices.ts';
import { ParkedEventsPage } from './events/ParkedEventsPage.tsx';
import { RoleCreatePage, RoleEditPage } from './roles/RolePage.tsx';
import { RolesPage } from './roles/RolesPage.tsx';
import { SystemPage } from './system/SystemPage.tsx';
import { administrationTexts } from './texts.ts';
import { UserPage } from './users/UserPage.tsx';
import { UsersPage } from './users/UsersPage.tsx';

const entries: NavEntry[] = [
  { path: '/administration/users', label: 'menu.users', permission: 'sso:users:read' },
  { path: '/administration/roles', label: 'menu.roles', permission: 'sso:roles:read' },
  { path: '/administration/clients', label: 'menu.clients', permission: 'sso:clients:read' },
  { path: '/administration/events', label: 'menu.events', permission: PARKED_EVENTS_PERMISSION },
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
    { path: 'administration/events', permission: PARKED_EVENTS_PERMISSION, element: <ParkedEventsPage /> },
    { path: 'administration/system', permission: 'gateway:services:read', element: <SystemPage /> },
  ],
  texts: administrationTexts,
};
