import type { DemoState } from './demo.ts';

export type AdminHint =
  | { kind: 'generated'; password: string; file: string }
  | { kind: 'from-env' }
  | { kind: 'in-file'; file: string }
  | { kind: 'unknown' };

/**
 * What a newcomer needs after `npm start`: the URL to open, how to sign in, where the API docs are.
 * Printed last, framed, so it is not lost above the log. Its first line is also what tests wait for:
 * `Lessor is ready at <url>`.
 */
export function printBanner(options: {
  url: string;
  services: ReadonlyMap<string, string>;
  admin: AdminHint;
  demo?: DemoState;
  /** `npm start`'s log file (the console shows warnings and errors only). */
  logFile?: string;
}): void {
  const { url, admin } = options;
  const password =
    admin.kind === 'generated'
      ? `${admin.password}   (generated on this first start; also in ${admin.file})`
      : admin.kind === 'from-env'
        ? 'the value of LESSOR_ADMIN_PASSWORD'
        : admin.kind === 'in-file'
          ? `in ${admin.file}`
          : 'set when sso first started';
  const rule = '═'.repeat(Math.max(72, url.length + 24));
  const lines = [
    '',
    rule,
    `  Lessor is ready at ${url}`,
    rule,
    `  Sign in:   user admin, password ${password}`,
    `  Token:     curl -s -X POST ${url}/api/sso/v1/auth/login -H 'content-type: application/json' \\`,
    `               -d '{"username":"admin","password":"…"}'`,
    `  API docs:  ${url}/api/<service>/docs (with the token), e.g. ${url}/api/sso/docs`,
    `  Services:  ${[...options.services].map(([name, address]) => `${name} ${address}`).join(', ')}`,
    ...(options.demo ? [`  Demo data: ${demoLine(options.demo)}`] : []),
    ...(options.demo?.kind === 'seeded' && Object.keys(options.demo.summary.users).length > 0
      ? [
          `  Demo users: ${Object.entries(options.demo.summary.users)
            .map(([user, role]) => `${user} (${role})`)
            .join(', ')}`,
          `             their passwords are in ${options.demo.summary.usersFile}`,
        ]
      : []),
    ...(options.logFile
      ? [`  Logs:      ${options.logFile} (here: warnings and errors only; LOG_LEVEL=info for everything)`]
      : []),
    rule,
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

/** `10 contracts (3 active, 2 draft, …), 8 parties, 12 assets`, or why there are none. */
function demoLine(demo: DemoState): string {
  if (demo.kind === 'off') return 'off (LESSOR_DEMO=0)';
  if (demo.kind === 'failed') return `not loaded: ${demo.error} (see the log; Lessor runs without it)`;
  const { contracts, parties, assets, failures } = demo.summary;
  const total = Object.values(contracts).reduce((sum, count) => sum + count, 0);
  const byStatus = Object.entries(contracts)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
  const failed = failures.length > 0 ? `; ${failures.length} could not be played (see the log)` : '';
  return `${total} contracts (${byStatus}), ${parties} parties, ${assets} assets${failed} — LESSOR_DEMO=0 turns it off`;
}
