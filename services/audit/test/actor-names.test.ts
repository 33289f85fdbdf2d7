import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@lessor/events';
import { eventually } from '@lessor/events/testing';
import {
  createTestDatabase,
  startTestService,
  testBackends,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import { migrate } from '@lessor/service-kit';
import type { Kysely } from 'kysely';
import { auditRecordsMigration } from '../migrations/0001_audit_records.ts';
import { auditMigrations } from '../migrations/index.ts';
import type { paths } from '../openapi.ts';
import { auditService } from '../src/audit.service.ts';
import type { AuditDatabase } from '../src/database.ts';
import { auditRecordOf } from '../src/records/audit-record.ts';
import { AuditRecordRepository } from '../src/records/audit-record.repository.ts';

const ADA = '0193a1b2-0000-7000-8000-0000000000ad';
let sequence = 0;
const quickly = { timeoutMs: 10_000 };
// Recent times: the consumer parks events older than its inbox's 14 days as stale.
const START = Date.now() - 3_600_000;

/** An event as a publisher's outbox sends it (ids only grow, as UUIDv7 do). */
function event(type: string, subject: string, data: unknown, actor?: string, time?: string): EventEnvelope {
  sequence += 1;
  return {
    specversion: '1.0',
    id: `0193a1b2-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
    source: `/lessor/${type.split('.')[1]}`,
    type,
    subject,
    time: time ?? new Date(START + sequence * 1000).toISOString(),
    datacontenttype: 'application/json',
    data,
    ...(actor === undefined ? {} : { actor }),
  };
}

const BOB = '0193a1b2-0000-7000-8000-0000000000b0';

/** The full name a user record's `after` carries (the API types `after` as any JSON). */
const fullNameAfter = (after: unknown) =>
  typeof after === 'object' && after !== null && 'fullName' in after ? after.fullName : undefined;

/** A user as sso's user events carry it. */
const user = (id: string, username: string, fullName: string) => ({
  id,
  username,
  fullName,
  email: null,
  active: true,
  roles: [],
});

const userChange = (
  action: string,
  before: unknown,
  after: ReturnType<typeof user>,
  changed: string[],
  actor = 'system',
  time?: string,
) =>
  event(
    `lessor.sso.user.${action}.v1`,
    after.id,
    { entityType: 'user', entityId: after.id, before, after, changed },
    actor,
    time,
  );

type RecordQuery = Omit<paths['/v1/records']['get']['parameters']['query'], 'limit'>;

describe.each(testBackends())('audit records’ actors by name on %s', (backend) => {
  let audit: TestServices & TestService;
  let auditor: string;

  beforeAll(async () => {
    audit = await startTestService(auditService, { setup: { backend, broker: 'in-process' } });
    auditor = await audit.token(['audit:records:read'], 'auditor');
  });
  afterAll(async () => {
    await audit?.close();
  });

  /** Events as a publisher's relay hands them to the bus: ids, times and bodies as the test makes them. */
  const deliver = async (events: EventEnvelope[]) => {
    if (!audit.app.events) throw new Error('audit has no events');
    await audit.app.events.transport.publish(events);
  };

  const records = async (query: RecordQuery) => {
    const { data, error, response } = await audit
      .api<paths>(auditor)
      .GET('/v1/records', { params: { query: { limit: 200, ...query } } });
    expect(response.status, JSON.stringify(error)).toBe(200);
    return data?.items ?? [];
  };

  it('should show and find a user’s records by the name sso last published when the actor is a user id', async () => {
    await deliver([
      userChange('created', null, user(ADA, 'ada', 'Ada Lovelace'), ['username']),
      // Ada makes Bob's account: a record whose actor is Ada's id.
      userChange('created', null, user(BOB, 'bob', 'Bob Builder'), ['username'], ADA),
    ]);
    const found = await eventually(async () => {
      const items = await records({ actorName: 'lovelace' });
      return items.length > 0 ? items : undefined;
    }, quickly);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ entityId: BOB, actor: ADA, actorName: 'Ada Lovelace' });
    // The username finds them too, case aside; the id stays the key.
    expect(await records({ actorName: 'ADA' })).toHaveLength(1);
    expect(await records({ actor: ADA })).toHaveLength(1);
    // An actor that is no user keeps no name.
    const created = await records({ entityId: ADA });
    expect(created[0]).toMatchObject({ actor: 'system', actorName: null });

    // A rename reaches the records kept before it: a name is a label, the id is the fact.
    await deliver([
      userChange(
        'updated',
        user(ADA, 'ada', 'Ada Lovelace'),
        user(ADA, 'ada', 'Ada King'),
        ['fullName'],
        ADA,
      ),
    ]);
    const renamed = await eventually(async () => {
      const items = await records({ actorName: 'king' });
      return items.length === 2 ? items : undefined;
    }, quickly);
    expect(renamed.map((record) => record.actorName)).toEqual(['Ada King', 'Ada King']);
    expect(await records({ actorName: 'lovelace' })).toHaveLength(0);
  });

  it('should keep the newest name when an older user event arrives late', async () => {
    await deliver([
      userChange('updated', user(ADA, 'ada', 'Ada King'), user(ADA, 'ada', 'Ada Byron'), ['fullName'], ADA),
    ]);
    await eventually(async () => {
      const [latest] = await records({ actor: ADA });
      return latest?.actorName === 'Ada Byron' ? true : undefined;
    }, quickly);
    // An event of an older change, redelivered after the newer one, does not bring the old name back.
    await deliver([
      userChange(
        'updated',
        user(ADA, 'ada', 'Ada Lovelace'),
        user(ADA, 'ada', 'Ada Stale'),
        ['fullName'],
        ADA,
        new Date(START - 3_600_000).toISOString(),
      ),
    ]);
    const recorded = await eventually(async () => {
      const items = await records({ entityId: ADA });
      return items.some((record) => fullNameAfter(record.after) === 'Ada Stale') ? items : undefined;
    }, quickly);
    expect(recorded.every((record) => record.actor !== ADA || record.actorName === 'Ada Byron')).toBe(true);
    expect(await records({ actorName: 'stale' })).toHaveLength(0);
  });
});

describe.each(testBackends())(
  'audit’s migration 0002 over records of an earlier release on %s',
  (backend) => {
    it('should name the users of the records audit already holds, each by their latest event', async () => {
      const database = await createTestDatabase<unknown>(backend, { schema: 'audit' });
      try {
        await migrate(database, [auditRecordsMigration]);
        const records = new AuditRecordRepository(database.db as Kysely<AuditDatabase>);
        // Written as the earlier release wrote them: the record only (its insert touches no newer table).
        for (const envelope of [
          userChange('created', null, user(ADA, 'ada', 'Ada Lovelace'), ['username']),
          userChange(
            'updated',
            user(ADA, 'ada', 'Ada Lovelace'),
            user(ADA, 'ada', 'Ada King'),
            ['fullName'],
            ADA,
          ),
          userChange('created', null, user(BOB, 'bob', ''), ['username'], ADA),
        ])
          await records.record(auditRecordOf(envelope));
        await migrate(database, auditMigrations);
        const names = await (database.db as Kysely<AuditDatabase>)
          .selectFrom('actorNames')
          .select(['actor', 'username', 'fullName'])
          .orderBy('username')
          .execute();
        expect(names).toEqual([
          { actor: ADA, username: 'ada', fullName: 'Ada King' },
          { actor: BOB, username: 'bob', fullName: '' },
        ]);
        const page = await records.list({ limit: 10, actorName: 'king' });
        expect(page.items.map((record) => record.entityId)).toEqual([BOB, ADA]);
      } finally {
        await database.dispose();
      }
    });
  },
);
