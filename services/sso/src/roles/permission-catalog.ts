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
  { name: 'leasing:products:read', description: 'List and read lease products.' },
  { name: 'leasing:products:write', description: 'Create, change, delete and restore lease products.' },
  { name: 'leasing:calculations:read', description: 'List and read saved calculations.' },
  { name: 'leasing:calculations:write', description: 'Calculate leases (saves the calculation).' },
  { name: 'leasing:contracts:read', description: 'List and read contracts, schedules and history.' },
  { name: 'leasing:contracts:write', description: 'Make, change, delete and restore draft contracts.' },
  { name: 'leasing:contracts:approve', description: 'Approve or reject drafts made by someone else.' },
  { name: 'leasing:contracts:sign', description: 'Record the lessee’s signature.' },
  { name: 'leasing:contracts:activate', description: 'Activate signed contracts.' },
  { name: 'leasing:contracts:close', description: 'Close contracts whose term has run.' },
  { name: 'leasing:contracts:terminate', description: 'Quote and execute early terminations.' },
  { name: 'leasing:contracts:default', description: 'Declare contracts in default.' },
  { name: 'leasing:contracts:restructure', description: 'Give active contracts a new schedule version.' },
  { name: 'leasing:docs:read', description: 'Read the API docs of leasing.' },
  {
    name: 'parties:parties:read',
    description: 'List, search and read parties, their summaries and KYC history.',
  },
  {
    name: 'parties:parties:write',
    description: 'Create, change, delete and restore parties (not their KYC status).',
  },
  { name: 'parties:kyc:write', description: 'Record KYC decisions on parties (verify, reject, expire).' },
  { name: 'parties:events:read', description: 'Read the event outbox backlog of parties.' },
  { name: 'parties:docs:read', description: 'Read the API docs of parties.' },
  { name: 'assets:assets:read', description: 'List and read assets, their summaries and status history.' },
  {
    name: 'assets:assets:write',
    description: 'Register, change, delete and restore assets; change their status by hand.',
  },
  { name: 'assets:suppliers:read', description: 'List and read suppliers.' },
  { name: 'assets:suppliers:write', description: 'Create, change, delete and restore suppliers.' },
  {
    name: 'assets:insurance:read',
    description: 'List and read insurance policies and the renewal worklist.',
  },
  { name: 'assets:insurance:write', description: 'Add, change, delete and restore insurance policies.' },
  { name: 'assets:events:read', description: 'Read the outbox backlog and the parked events of assets.' },
  { name: 'assets:events:write', description: 'Replay or discard the parked events of assets.' },
  { name: 'assets:docs:read', description: 'Read the API docs of assets.' },
  {
    name: 'gateway:contract-cards:read',
    description: 'Read composed contract cards (each part still checks its own permission).',
  },
  { name: 'gateway:services:read', description: 'List the services and their readiness.' },
  { name: 'gateway:docs:read', description: 'Read the API docs of the gateway.' },
];
