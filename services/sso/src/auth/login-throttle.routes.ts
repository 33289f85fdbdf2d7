import { actorOf, IdParams, type ServiceApp } from '@lessor/service-kit';
import type { ThrottleStatus } from './login-throttle.ts';
import type { LoginService } from './login.service.ts';
import { LoginThrottleStatus } from './auth.schemas.ts';

const tags = ['users'];

const view = (status: ThrottleStatus) => ({
  ...status,
  addresses: status.addresses.map((entry) => ({
    ...entry,
    lastFailureAt: entry.lastFailureAt.toISOString(),
  })),
});

/** An administrator sees who is held back from signing in as a user, and lifts the lock (ADR 14). */
export function registerLoginThrottleRoutes(app: ServiceApp, login: LoginService): void {
  app.get(
    '/v1/users/:id/login-throttle',
    {
      config: { permission: 'sso:users:read' },
      schema: {
        tags,
        summary: 'Whether, and from which addresses, sign-ins as this user are held back',
        params: IdParams,
        response: { 200: LoginThrottleStatus },
      },
    },
    async (request) => view(await login.throttleOf(request.params.id)),
  );

  app.post(
    '/v1/users/:id/unlock',
    {
      config: { permission: 'sso:users:write' },
      schema: {
        tags,
        summary: 'Lift the sign-in throttling of this user',
        description:
          'Failed sign-ins so far no longer count, from any address: every address may try again at once. ' +
          'Published as `lessor.sso.login.unlocked.v1` (audit keeps it). Answers the status after the lift.',
        params: IdParams,
        response: { 200: LoginThrottleStatus },
      },
    },
    async (request) => view(await login.unlock(request.params.id, actorOf(request))),
  );
}
