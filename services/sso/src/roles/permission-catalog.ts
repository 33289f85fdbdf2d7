/**
 * The permissions the running services check, for the admin UI's role editor. A role may also hold
 * wildcards (`sso:*:read`, `*:*:*`). Each service adds its own here when it is built.
 */
export const PERMISSION_CATALOG: readonly { name: string; description: string }[] = [
  { name: 'sso:me:read', description: 'Read one’s own profile (every signed-in user has it).' },
  { name: 'sso:users:read', description: 'List and read users.' },
  {
    name: 'sso:users:write',
    description: 'Create, change, disable, delete and restore users; grant and revoke roles.',
  },
  { name: 'sso:roles:read', description: 'List and read roles and the permission catalogue.' },
  { name: 'sso:roles:write', description: 'Create, change, delete and restore roles.' },
  { name: 'sso:clients:read', description: 'List and read service clients.' },
  {
    name: 'sso:clients:write',
    description: 'Create, change, delete and restore service clients; rotate their secrets.',
  },
  { name: 'sso:keys:read', description: 'List the signing keys (public parts).' },
  { name: 'sso:keys:write', description: 'Rotate the signing key.' },
  { name: 'sso:docs:read', description: 'Read the API docs of sso.' },
  { name: 'gateway:services:read', description: 'List the services and their readiness.' },
  { name: 'gateway:docs:read', description: 'Read the API docs of the gateway.' },
];
