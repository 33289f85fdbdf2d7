import type { Kysely } from 'kysely';
import { Type } from '@lessor/service-kit';
import { Compile } from 'typebox/compile';
import type { SsoDatabase } from '../database.ts';
import type { SsoEvents } from '../sso.events.ts';
import { secretHash } from '../auth/secrets.ts';
import { ClientRepository } from '../clients/client.repository.ts';

const SYSTEM_ACTOR = 'system';

/** One service client the deployment declares: its id, its secret (from a secret store) and its scopes. */
export interface DeclaredServiceClient {
  clientId: string;
  secret: string;
  scopes: string[];
  name?: string;
}

const Declared = Compile(
  Type.Array(
    Type.Object(
      {
        clientId: Type.String({ pattern: '^[a-z][a-z0-9-]{1,63}$' }),
        secret: Type.String({ minLength: 16 }),
        scopes: Type.Array(
          Type.String({ pattern: '^[a-z*][a-z0-9*-]*:[a-z*][a-z0-9*-]*:[a-z*][a-z0-9*-]*$' }),
        ),
        name: Type.Optional(Type.String({ maxLength: 120 })),
      },
      { additionalProperties: false },
    ),
  ),
);

/**
 * Reads SSO_SERVICE_CLIENTS (a JSON array). A bad value stops sso at start with a message that names the
 * problem but never echoes the value, which holds secrets.
 */
export function parseServiceClients(text: string | undefined): DeclaredServiceClient[] {
  if (text === undefined || text.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('SSO_SERVICE_CLIENTS is not valid JSON (value not shown: it holds secrets)');
  }
  if (!Declared.Check(value)) {
    const first = [...Declared.Errors(value)][0];
    throw new Error(`SSO_SERVICE_CLIENTS: ${first?.instancePath || '/'} ${first?.message ?? 'is not valid'}`);
  }
  return value;
}

/**
 * Makes the declared service clients exist with exactly the declared secret and scopes: created when
 * missing, updated (and published) when either changed, left alone otherwise. The embedded runner declares
 * one per calling service with a secret generated at each start; a deployment passes its own from a
 * secret store. Clients made through the admin API are not touched.
 */
export async function ensureServiceClients(
  db: Kysely<SsoDatabase>,
  events: SsoEvents,
  declared: DeclaredServiceClient[],
): Promise<void> {
  for (const client of declared) {
    await db.transaction().execute(async (trx) => {
      const clients = new ClientRepository(trx);
      const scopes = [...client.scopes].sort();
      const hash = secretHash(client.secret);
      const existing = await clients.findByClientId(client.clientId);
      if (!existing) {
        const created = await clients.insert(
          {
            clientId: client.clientId,
            name: client.name ?? client.clientId,
            scopes,
            active: true,
            secretHash: hash,
          },
          SYSTEM_ACTOR,
        );
        await events.clientChanged(trx, 'created', null, created, SYSTEM_ACTOR);
        return;
      }
      const sameScopes =
        existing.scopes.length === scopes.length && existing.scopes.every((s, i) => s === scopes[i]);
      if (sameScopes && existing.secretHash === hash && existing.active) return;
      const updated = await clients.update(
        existing.id,
        existing.version,
        { scopes, secretHash: hash, active: true },
        SYSTEM_ACTOR,
      );
      await events.clientChanged(trx, 'updated', existing, updated, SYSTEM_ACTOR);
    });
  }
}
