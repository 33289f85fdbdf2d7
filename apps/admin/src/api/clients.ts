import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { session } from '../auth/session.ts';
import { ApiError, isProblem } from './problem.ts';
import type { paths as AssetsPaths } from './schema/assets.ts';
import type { paths as AuditPaths } from './schema/audit.ts';
import type { paths as BillingPaths } from './schema/billing.ts';
import type { paths as FinancePaths } from './schema/finance.ts';
import type { paths as GatewayPaths } from './schema/gateway.ts';
import type { paths as IntegrationPaths } from './schema/integration.ts';
import type { paths as LeasingPaths } from './schema/leasing.ts';
import type { paths as PartiesPaths } from './schema/parties.ts';
import type { paths as SsoPaths } from './schema/sso.ts';

/**
 * Every call carries the session's access token; a 401 refreshes once and repeats the call, else the user is
 * signed out (the token was revoked or the user disabled).
 */
const withToken: Middleware = {
  async onRequest({ request }) {
    const token = await session.token();
    if (token !== null) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  async onResponse({ request, response, options }) {
    if (response.status !== 401 || request.headers.get('x-lessor-retry') !== null) return response;
    if (!(await session.rejected())) return response;
    const token = await session.token();
    const again = new Request(request, { headers: new Headers(request.headers) });
    again.headers.set('x-lessor-retry', '1');
    if (token !== null) again.headers.set('authorization', `Bearer ${token}`);
    return options.fetch(again);
  },
};

function serviceClient<Paths extends object>(service: string): Client<Paths> {
  const origin = typeof location === 'undefined' ? 'http://localhost' : location.origin;
  const client = createClient<Paths>({ baseUrl: `${origin}/api/${service}` });
  client.use(withToken);
  return client;
}

/** The typed clients, one per service, generated from each service's committed openapi.json. */
export const api = {
  sso: serviceClient<SsoPaths>('sso'),
  audit: serviceClient<AuditPaths>('audit'),
  parties: serviceClient<PartiesPaths>('parties'),
  assets: serviceClient<AssetsPaths>('assets'),
  leasing: serviceClient<LeasingPaths>('leasing'),
  billing: serviceClient<BillingPaths>('billing'),
  finance: serviceClient<FinancePaths>('finance'),
  gateway: serviceClient<GatewayPaths>('gateway'),
  integration: serviceClient<IntegrationPaths>('integration'),
};

/**
 * The data of an openapi-fetch answer, or its problem thrown as an {@link ApiError} — so React Query and the
 * forms see one kind of failure. A network failure (nothing answered) is a problem with status 0.
 */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let answer: { data?: T; error?: unknown; response: Response };
  try {
    answer = await call;
  } catch (cause) {
    throw new ApiError({ title: 'The server could not be reached', status: 0, detail: String(cause) });
  }
  const { data, error, response } = answer;
  if (response.ok) return data as T;
  throw new ApiError(
    isProblem(error) ? error : { title: response.statusText || 'Request failed', status: response.status },
  );
}
