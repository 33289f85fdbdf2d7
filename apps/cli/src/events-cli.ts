/**
 * The operator's command line for events: what a service has not published yet, and the events it could
 * not handle (parked) — list, inspect, replay, discard. It talks to the services through the gateway, with
 * a token, like any client: no database credentials needed.
 */

export interface CliIo {
  env: Record<string, string | undefined>;
  out: (line: string) => void;
  fetch: typeof fetch;
}

const USAGE = `Usage: npm run events -- <service> <command> [options]

Commands:
  outbox                 events written but not yet published (count, age of the oldest)
  list [--status parked|replayed|discarded] [--type <event type>] [--limit N]
                         parked events, newest first
  show <id>              one parked event with its envelope and the reason it was parked
  replay <id>            handle it again (an event already applied counts as a duplicate, once)
  discard <id>           give up on it (kept, marked discarded)

Environment:
  LESSOR_URL             the gateway (default http://127.0.0.1:8080)
  LESSOR_TOKEN           a bearer token, or:
  LESSOR_USERNAME, LESSOR_PASSWORD   to sign in through sso
`;

/** Runs one command; resolves to the process exit code. */
export async function runEventsCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [service, command, ...rest] = argv;
  if (!service || !command || !/^[a-z][a-z0-9-]*$/.test(service)) {
    io.out(USAGE);
    return 2;
  }
  const base = `${(io.env.LESSOR_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')}/api`;
  const token = await bearerToken(base, io);
  if (!token) {
    io.out('Set LESSOR_TOKEN, or LESSOR_USERNAME and LESSOR_PASSWORD.');
    return 2;
  }
  const call = async (method: string, path: string) => {
    const response = await io.fetch(`${base}/${service}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    const body: unknown = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const problem = body as { title?: string; detail?: string; code?: string } | null;
      throw new CliError(
        `${response.status} ${problem?.code ?? ''} ${problem?.detail ?? problem?.title ?? ''}`.trim(),
      );
    }
    return body;
  };
  try {
    switch (command) {
      case 'outbox': {
        const { pending, oldestAgeSeconds } = (await call('GET', '/v1/events/outbox')) as {
          pending: number;
          oldestAgeSeconds: number;
        };
        io.out(`${service}: ${pending} event(s) pending; oldest ${oldestAgeSeconds.toFixed(1)} s`);
        return 0;
      }
      case 'list': {
        const query = new URLSearchParams();
        for (const option of ['status', 'type', 'limit']) {
          const value = optionValue(rest, `--${option}`);
          if (value) query.set(option, value);
        }
        const page = (await call('GET', `/v1/events/parked?${query}`)) as { items: ParkedLine[] };
        if (page.items.length === 0) io.out('No parked events.');
        for (const item of page.items) {
          io.out(
            `${item.id}  ${item.status.padEnd(9)}  ${item.parkedAt}  ${item.type}  attempts ${item.attempts}  ${item.reason}`,
          );
        }
        return 0;
      }
      case 'show':
        io.out(JSON.stringify(await call('GET', `/v1/events/parked/${requireId(rest)}`), null, 2));
        return 0;
      case 'replay': {
        const { outcome } = (await call('POST', `/v1/events/parked/${requireId(rest)}/replay`)) as {
          outcome: string;
        };
        io.out(`replayed: ${outcome}`);
        return 0;
      }
      case 'discard':
        await call('POST', `/v1/events/parked/${requireId(rest)}/discard`);
        io.out('discarded');
        return 0;
      default:
        io.out(USAGE);
        return 2;
    }
  } catch (error) {
    if (error instanceof CliError) {
      io.out(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

interface ParkedLine {
  id: string;
  status: string;
  parkedAt: string;
  type: string;
  attempts: number;
  reason: string;
}

class CliError extends Error {}

function optionValue(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function requireId(args: readonly string[]): string {
  const id = args[0];
  if (!id || !/^[0-9a-f-]{36}$/i.test(id)) throw new CliError('give the id of a parked event (a UUID)');
  return id;
}

async function bearerToken(base: string, io: CliIo): Promise<string | undefined> {
  if (io.env.LESSOR_TOKEN) return io.env.LESSOR_TOKEN;
  const { LESSOR_USERNAME: username, LESSOR_PASSWORD: password } = io.env;
  if (!username || !password) return undefined;
  const response = await io.fetch(`${base}/sso/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`Sign-in failed: HTTP ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
