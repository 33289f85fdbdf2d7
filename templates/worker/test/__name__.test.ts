import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partiesEvents, type EventDataOf } from '@lessor/event-catalog';
import { createInProcessTransport, type EventEnvelope } from '@lessor/events';
import { newId } from '@lessor/service-kit';
import { startTestService, type TestService, type TestServices } from '@lessor/service-kit/testing';
import type { __Name__Database } from '../src/database.ts';
import { __nameCamel__Service } from '../src/__name__.service.ts';

type PartySnapshot = EventDataOf<typeof partiesEvents.partyCreated>['after'];

function party(name: string, country: string): PartySnapshot {
  return {
    id: newId(),
    kind: 'company',
    name,
    country,
    taxId: null,
    kycStatus: 'pending',
    legalForm: null,
    registrationNumber: null,
  };
}

describe('__name__: learns parties from their events, digests them on a timer', () => {
  let service: TestServices & TestService;
  let reader: string;

  beforeAll(async () => {
    // The job ticks fast here so that a digest comes while the test waits for it (`until`), not on a timer.
    service = await startTestService(__nameCamel__Service, {
      publishers: ['parties'],
      env: { __NAME___DIGEST_INTERVAL_MS: '100' },
    });
    reader = await service.token(['__name__:digests:read']);
  });
  afterAll(() => service.close());

  const publishCreated = (snapshot: PartySnapshot) =>
    service.publish(partiesEvents.partyCreated, {
      entityType: 'party',
      entityId: snapshot.id,
      before: null,
      after: snapshot,
      changed: Object.keys(snapshot),
    });

  const learned = (partyId: string) =>
    service
      .db<__Name__Database>()
      .selectFrom('learnedParties')
      .selectAll()
      .where('partyId', '=', partyId)
      .execute();

  it('should learn a new party from its created event and gather it into a digest', async () => {
    const acme = party('Acme Leasing GmbH', 'DE');
    await service.handled(await publishCreated(acme));
    expect(await learned(acme.id)).toMatchObject([{ name: 'Acme Leasing GmbH', country: 'DE' }]);

    const digested = await service.until(async () => (await learned(acme.id))[0]?.digestId ?? undefined);
    const digests = await service.call('GET', '/v1/digests', reader);
    expect(digests.status).toBe(200);
    expect(digests.body.items.map((digest: { id: string }) => digest.id)).toContain(digested);
    const parties = await service.call('GET', '/v1/learned-parties', reader);
    expect(parties.body.items).toContainEqual(
      expect.objectContaining({ partyId: acme.id, digestId: digested }),
    );
  });

  it('should apply the very same event once when it is delivered twice', async () => {
    const envelope = await publishCreated(party('Twice Delivered SA', 'FR'));
    await service.handled(envelope);
    await redeliver(service, envelope);

    expect(await learned(envelope.subject)).toHaveLength(1);
    // Applied twice, the plain insert would have failed: the event would have been retried, then parked.
    const { rows: parked } = await sql`select event_id from parked_events`.execute(service.database.db);
    expect(parked).toEqual([]);
  });

  it('should answer its routes to a reader only, and take no writes', async () => {
    expect((await service.call('GET', '/v1/digests', undefined)).status).toBe(401);
    const stranger = await service.token(['parties:parties:read']);
    expect((await service.call('GET', '/v1/digests', stranger)).status).toBe(403);
    expect((await service.call('POST', '/v1/digests', reader, {})).status).toBe(404);
  });
});

/**
 * Delivers an envelope again through the bus, as a relay that did not see its publish confirmed would, and waits
 * until the worker's queue has taken it (handled, or retried and parked).
 */
async function redeliver(service: TestServices & TestService, envelope: EventEnvelope): Promise<void> {
  const bus = createInProcessTransport({ db: service.database.db });
  try {
    await bus.publish([envelope]);
  } finally {
    await bus.close();
  }
  await service.until(async () => {
    const { rows } = await sql<{ waiting: number }>`
      select count(*)::int as waiting from lessor_bus.messages where queue = 'lessor.__name__'`.execute(
      service.database.db,
    );
    return rows[0]!.waiting === 0;
  }, 'the event delivered again was taken from the queue');
}
