import { pino } from 'pino';
import { createInProcessTransport } from '@lessor/events';
import { buildService } from '@lessor/service-kit';
import {
  startTestService,
  type Answer,
  type TestService,
  type TestServices,
  type TestServiceSpec,
  type TestSetup,
} from '@lessor/service-kit/testing';
import { ssoService, type SsoOptions } from '../src/sso.service.ts';

export const ADMIN_PASSWORD = 'correct-horse-battery-staple';

/** A started sso with the sign-in steps its tests take; its tokens are its own (it trusts no test issuer). */
export type StartedSso = TestServices & TestService;

/**
 * sso on a fresh database, with user admin's password known, new signing keys at once and room for many
 * sign-ins from one address, so a test reaches only the limit it sets in `env`.
 */
export function startSso(
  options: {
    setup?: TestSetup;
    env?: Record<string, string>;
    options?: Partial<SsoOptions>;
    logger?: TestServiceSpec['logger'];
  } = {},
): Promise<StartedSso> {
  return startTestService(ssoService, {
    ...(options.setup ? { setup: options.setup } : {}),
    env: {
      LESSOR_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SSO_KEY_PUBLISH_AHEAD_SECONDS: '0',
      SSO_LOGIN_ATTEMPTS_PER_ADDRESS: '1000',
      ...options.env,
    },
    ...(options.options ? { options: options.options } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}

/**
 * Signs in as a browser behind the gateway does: the gateway (on loopback, a trusted proxy) forwards the
 * client's address, which sso counts sign-ins by.
 */
export function signIn(
  sso: StartedSso,
  username: string,
  password: string,
  address = '192.0.2.10',
): Promise<Answer> {
  return sso.call(
    'POST',
    '/v1/auth/login',
    undefined,
    { username, password },
    { 'x-forwarded-for': address },
  );
}

/** An access token of user admin, signed by sso. */
export async function adminToken(sso: StartedSso): Promise<string> {
  const answer = await signIn(sso, 'admin', ADMIN_PASSWORD, '192.0.2.1');
  if (answer.status !== 200) throw new Error(`admin sign-in failed: ${JSON.stringify(answer.body)}`);
  return answer.body.accessToken as string;
}

/**
 * Starts sso once more on the database of a started one and stops it again: what its start does to an
 * existing installation (bootstrap steps, the first administrator) is then in the database.
 */
export async function startAgain(
  sso: StartedSso,
  env: Record<string, string> = {},
  options: Partial<SsoOptions> = {},
): Promise<void> {
  const transport = createInProcessTransport({ db: sso.database.db });
  const again = await buildService(ssoService, {
    env: { PORT: '0', LOG_LEVEL: 'silent', ...env },
    // The started sso keeps its database; this start must not close it.
    database: { ...sso.database, close: async () => {} },
    transport,
    logger: pino({ level: 'silent' }),
    options,
  });
  await again.close();
  await transport.close();
}
