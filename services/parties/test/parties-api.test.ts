import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@lessor/events/testing';
import {
  startTestService,
  testBackends,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import type { paths } from '../openapi.ts';
import { partiesService } from '../src/parties.service.ts';

const backends = testBackends();

const ACME = {
  kind: 'company',
  name: 'Acme Maschinenbau GmbH',
  legalForm: 'GmbH',
  country: 'DE',
  taxId: 'de 136.695.976',
  registrationNumber: 'HRB 12345',
  email: 'office@acme.example',
  phone: '+49 30 1234567',
  addresses: [
    { type: 'registered', line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
  ],
  contacts: [{ name: 'Eva Braun', role: 'CFO', email: 'eva@acme.example', phone: '+49-170-1234567' }],
};

describe.each(backends)('parties API on %s', (backend) => {
  let parties: TestServices & TestService;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    parties = await startTestService(partiesService, { setup: { backend, broker: 'in-process' } });
    writer = await parties.token(['parties:parties:read', 'parties:parties:write']);
    reader = await parties.token(['parties:parties:read']);
  });
  afterAll(() => parties.close());

  const create = (body: Record<string, unknown>, headers?: Record<string, string>) =>
    parties.call('POST', '/v1/parties', writer, body, headers);
  const fieldsOf = (answer: { body: { errors?: { field: string }[] } }) =>
    (answer.body.errors ?? []).map((error) => error.field).sort();

  it('should answer the typed client of its generated OpenAPI types: create, then read by id', async () => {
    const api = parties.api<paths>(writer);
    const created = await api.POST('/v1/parties', {
      body: { kind: 'person', name: 'Jana Nováková', country: 'CZ' },
    });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    const read = await parties.api<paths>(reader).GET('/v1/parties/{id}', {
      params: { path: { id }, query: { includeDeleted: false } },
    });
    expect(read.data).toMatchObject({ id, name: 'Jana Nováková', kind: 'person', kycStatus: 'pending' });
    const anonymous = await parties.api<paths>().GET('/v1/parties/{id}', {
      params: { path: { id }, query: { includeDeleted: false } },
    });
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error).toMatchObject({ code: 'UNAUTHENTICATED' });
    // Out of the lists again, for the tests that list every person.
    const removed = await parties.call('DELETE', `/v1/parties/${id}`, writer, undefined, {
      'if-match': '"1"',
    });
    expect(removed.status).toBe(200);
  });

  it('should create a company with its tax id normalised, then read it with its ETag', async () => {
    const created = await create(ACME);
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/v1/parties/${created.body.id}`);
    expect(created.body).toMatchObject({
      kind: 'company',
      name: 'Acme Maschinenbau GmbH',
      legalForm: 'GmbH',
      country: 'DE',
      taxId: 'DE136695976',
      phone: '+49301234567',
      kycStatus: 'pending',
      version: 1,
      deletedAt: null,
    });
    expect(created.body.addresses).toEqual(ACME.addresses);
    expect(created.body.contacts).toEqual([{ ...ACME.contacts[0], phone: '+491701234567' }]);

    const read = await parties.call('GET', `/v1/parties/${created.body.id}`, reader);
    expect(read.status).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toEqual(created.body);
  });

  it('should find parties by part of the name in any case and by whole tax id', async () => {
    const person = await create({
      kind: 'person',
      name: 'Jean Dupont',
      firstName: 'Jean',
      lastName: 'Dupont',
      country: 'FR',
      taxId: '40303265045',
    });
    expect(person.status).toBe(201);
    expect(person.body.taxId).toBe('FR40303265045');
    const italian = await create({
      kind: 'company',
      name: 'Ferro_Italia SpA',
      country: 'IT',
      taxId: 'IT00743110157',
    });
    expect(italian.status).toBe(201);

    const names = (answer: { body: { items: { name: string }[] } }) => answer.body.items.map((p) => p.name);
    expect(names(await parties.call('GET', '/v1/parties?q=DUPO', reader))).toEqual(['Jean Dupont']);
    expect(names(await parties.call('GET', '/v1/parties?q=fr%2040%20303%20265%20045', reader))).toEqual([
      'Jean Dupont',
    ]);
    // A LIKE wildcard typed by the user is a literal character.
    expect(names(await parties.call('GET', '/v1/parties?q=o_i', reader))).toEqual(['Ferro_Italia SpA']);
    expect(names(await parties.call('GET', '/v1/parties?taxId=IT00743110157', reader))).toEqual([
      'Ferro_Italia SpA',
    ]);
    expect(names(await parties.call('GET', '/v1/parties?taxId=00743110157&country=IT', reader))).toEqual([
      'Ferro_Italia SpA',
    ]);
    expect(names(await parties.call('GET', '/v1/parties?kind=person', reader))).toEqual(['Jean Dupont']);
    expect(names(await parties.call('GET', '/v1/parties?country=IT&kycStatus=pending', reader))).toEqual([
      'Ferro_Italia SpA',
    ]);
    expect((await parties.call('GET', '/v1/parties?kycStatus=verified', reader)).body.items).toEqual([]);
  });

  it('should page through the list in name order and descending when asked', async () => {
    for (const name of ['Page A', 'Page B', 'Page C']) {
      expect((await create({ kind: 'company', name, country: 'AT' })).status).toBe(201);
    }
    const first = await parties.call('GET', '/v1/parties?q=page&limit=2', reader);
    expect(first.body.items.map((p: { name: string }) => p.name)).toEqual(['Page A', 'Page B']);
    const second = await parties.call(
      'GET',
      `/v1/parties?q=page&limit=2&cursor=${first.body.nextCursor}`,
      reader,
    );
    expect(second.body.items.map((p: { name: string }) => p.name)).toEqual(['Page C']);
    expect(second.body.nextCursor).toBeNull();
    const descending = await parties.call('GET', '/v1/parties?q=page&sort=-name', reader);
    expect(descending.body.items.map((p: { name: string }) => p.name)).toEqual([
      'Page C',
      'Page B',
      'Page A',
    ]);
  });

  it.each([
    ['DE', '136695978'],
    ['FR', 'FR40303265046'],
    ['IT', '00743110158'],
    ['NL', 'NL004495446B01'],
    ['PL', '8567346216'],
    ['DE', 'FR40303265045'],
  ])(
    'should answer 422 naming /body/taxId when the tax id %s %s does not fit the country',
    async (country, taxId) => {
      const answer = await create({ kind: 'company', name: 'Bad Tax Id', country, taxId });
      expect(answer.status).toBe(422);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body.code).toBe('PARTY_INVALID');
      expect(fieldsOf(answer)).toEqual(['/body/taxId']);
    },
  );

  it('should accept the Dutch and Polish numbers those bad ones were made from', async () => {
    expect(
      (await create({ kind: 'company', name: 'NL BV', country: 'NL', taxId: '004495445B01' })).body.taxId,
    ).toBe('NL004495445B01');
    expect(
      (await create({ kind: 'company', name: 'PL Sp', country: 'PL', taxId: '856-734-62-15' })).body.taxId,
    ).toBe('PL8567346215');
  });

  it('should answer 422 naming each field when the fields do not fit the kind or the country list', async () => {
    const person = await create({
      kind: 'person',
      name: 'Anna Schmidt',
      legalForm: 'GmbH',
      country: 'XK',
      addresses: [{ type: 'billing', line1: 'A 1', city: 'B', postalCode: '1', country: 'UK' }],
    });
    expect(person.status).toBe(422);
    expect(fieldsOf(person)).toEqual(['/body/addresses/0/country', '/body/country', '/body/legalForm']);
    const company = await create({ kind: 'company', name: 'Firm', firstName: 'Not', country: 'DE' });
    expect(company.status).toBe(422);
    expect(fieldsOf(company)).toEqual(['/body/firstName']);
  });

  it('should answer 400 naming each field when the body breaks the schema', async () => {
    const answer = await create({
      kind: 'robot',
      name: '   ',
      country: 'de',
      email: 'not-an-email',
      phone: '030 1234567',
      legalForm: 'x'.repeat(61),
      shoeSize: 44,
      contacts: [{ role: 'CFO', email: 'also-bad' }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(answer)).toEqual([
      '/body/contacts/0/email',
      '/body/contacts/0/name',
      '/body/country',
      '/body/email',
      '/body/kind',
      '/body/legalForm',
      '/body/name',
      '/body/phone',
      '/body/shoeSize',
    ]);
  });

  it('should refuse a second live party with the same tax id in one country (409)', async () => {
    const first = await create({ kind: 'company', name: 'Twin One', country: 'US', taxId: '12-3456789' });
    expect(first.status).toBe(201);
    const second = await create({ kind: 'company', name: 'Twin Two', country: 'US', taxId: '123456789' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'PARTY_TAX_ID_TAKEN', partyId: first.body.id });
    // The same number in another country is another tax id.
    expect(
      (await create({ kind: 'company', name: 'Twin CA', country: 'CA', taxId: '123456789' })).status,
    ).toBe(201);
    // Changing another party to the taken number is refused too.
    const other = await create({ kind: 'company', name: 'Twin Three', country: 'US' });
    const patched = await parties.call(
      'PATCH',
      `/v1/parties/${other.body.id}`,
      writer,
      { taxId: '123456789' },
      { 'if-match': '"1"' },
    );
    expect(patched.status).toBe(409);
    expect(patched.body.code).toBe('PARTY_TAX_ID_TAKEN');
  });

  it('should let exactly one of two concurrent creates with one tax id win', async () => {
    const results = await Promise.all(
      ['Racer A', 'Racer B'].map((name) =>
        create({ kind: 'company', name, country: 'US', taxId: 'RACE0001' }),
      ),
    );
    expect(results.map((result) => result.status).sort()).toEqual([201, 409]);
    expect(results.find((result) => result.status === 409)!.body.code).toBe('PARTY_TAX_ID_TAKEN');
    const holders = await parties.call('GET', '/v1/parties?taxId=RACE0001', reader);
    expect(holders.body.items).toHaveLength(1);
  });

  // Deterministic on PostgreSQL: the other transaction's row is invisible to the service's check, so only the
  // partial unique index stops the second insert.
  it('should answer 409 when a concurrent transaction commits the same tax id first', async () => {
    const { pending } = await parties.database.db.transaction().execute(async (trx) => {
      await sql`insert into parties (id, created_by, updated_by, kind, name, country, tax_id)
          values (${randomUUID()}, 'test', 'test', 'company', 'Blocker', 'US', 'BLOCK0001')`.execute(trx);
      const pending = create({ kind: 'company', name: 'Blocked', country: 'US', taxId: 'BLOCK0001' });
      await eventually(async () => {
        const { rows } = await sql<{
          waiting: number;
        }>`select count(*)::int as waiting from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`.execute(parties.database.db);
        return rows[0]!.waiting > 0;
      });
      // Wrapped: a promise returned as such would be awaited before the commit it is waiting for.
      return { pending };
    });
    const answer = await pending;
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('PARTY_TAX_ID_TAKEN');
    expect(fieldsOf(answer)).toEqual(['/body/taxId']);
  });

  it('should hide a deleted party, restore it, and refuse the restore when its tax id was taken', async () => {
    const party = await create({ kind: 'company', name: 'Phoenix Ltd', country: 'GB', taxId: 'GB980780684' });
    const id = party.body.id as string;
    const removed = await parties.call('DELETE', `/v1/parties/${id}`, writer, undefined, {
      'if-match': '"1"',
    });
    expect(removed.status).toBe(200);
    expect(removed.body.deletedAt).not.toBeNull();
    expect((await parties.call('GET', `/v1/parties/${id}`, reader)).status).toBe(404);
    expect((await parties.call('GET', '/v1/parties?q=phoenix', reader)).body.items).toEqual([]);
    const deletedOnes = await parties.call('GET', '/v1/parties?q=phoenix&deleted=only', reader);
    expect(deletedOnes.body.items.map((p: { id: string }) => p.id)).toEqual([id]);

    const restored = await parties.call('POST', `/v1/parties/${id}/restore`, writer);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ deletedAt: null, version: 3 });
    expect((await parties.call('GET', '/v1/parties?q=phoenix', reader)).body.items).toHaveLength(1);

    // Deleted again, its tax id is free for a new party; then it cannot come back.
    await parties.call('DELETE', `/v1/parties/${id}`, writer, undefined, { 'if-match': '"3"' });
    const successor = await create({
      kind: 'company',
      name: 'Phoenix Two Ltd',
      country: 'GB',
      taxId: '980780684',
    });
    expect(successor.status).toBe(201);
    const refused = await parties.call('POST', `/v1/parties/${id}/restore`, writer);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'PARTY_TAX_ID_TAKEN', partyId: successor.body.id });
    expect(
      (await parties.call('GET', `/v1/parties/${id}?includeDeleted=true`, reader)).body.deletedAt,
    ).not.toBeNull();
  });

  it('should change only the sent fields under If-Match and refuse a stale or missing one', async () => {
    const party = await create({
      kind: 'company',
      name: 'Patchy AG',
      country: 'CH',
      taxId: 'CHE-116.281.710 MWST',
    });
    expect(party.body.taxId).toBe('CHE116281710');
    const id = party.body.id as string;
    const stale = await parties.call(
      'PATCH',
      `/v1/parties/${id}`,
      writer,
      { name: 'X' },
      { 'if-match': '"9"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('PRECONDITION_FAILED');
    expect((await parties.call('PATCH', `/v1/parties/${id}`, writer, { name: 'X' })).status).toBe(428);
    const changed = await parties.call(
      'PATCH',
      `/v1/parties/${id}`,
      writer,
      { legalForm: 'AG', email: 'info@patchy.example', contacts: [{ name: 'Urs' }] },
      { 'if-match': '"1"' },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Patchy AG',
      legalForm: 'AG',
      email: 'info@patchy.example',
      contacts: [{ name: 'Urs' }],
      taxId: 'CHE116281710',
      version: 2,
    });
    expect(changed.headers.etag).toBe('"2"');
    // A new country must come with a tax id that holds there.
    const moved = await parties.call(
      'PATCH',
      `/v1/parties/${id}`,
      writer,
      { country: 'AT' },
      { 'if-match': '"2"' },
    );
    expect(moved.status).toBe(422);
    expect(fieldsOf(moved)).toEqual(['/body/taxId']);
    const cleared = await parties.call(
      'PATCH',
      `/v1/parties/${id}`,
      writer,
      { country: 'AT', taxId: null, legalForm: null },
      { 'if-match': '"2"' },
    );
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ country: 'AT', taxId: null, legalForm: null, version: 3 });
    // Neither the kind nor the KYC status changes through PATCH.
    const refused = await parties.call(
      'PATCH',
      `/v1/parties/${id}`,
      writer,
      { kind: 'person', kycStatus: 'verified' },
      { 'if-match': '"3"' },
    );
    expect(refused.status).toBe(400);
    expect(fieldsOf(refused)).toEqual(['/body/kind', '/body/kycStatus']);
  });

  it('should answer a small cacheable summary, and 304 when the caller’s copy is current', async () => {
    const party = await create({
      kind: 'person',
      name: 'Sam Summary',
      country: 'NO',
      email: 'sam@example.com',
    });
    const id = party.body.id as string;
    const summary = await parties.call('GET', `/v1/parties/${id}/summary`, reader);
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({
      id,
      name: 'Sam Summary',
      kind: 'person',
      country: 'NO',
      taxId: null,
      kycStatus: 'pending',
    });
    expect(summary.headers.etag).toBe('"1"');
    expect(summary.headers['cache-control']).toBe('private, max-age=30');
    const notModified = await parties.call('GET', `/v1/parties/${id}/summary`, reader, undefined, {
      'if-none-match': '"1"',
    });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeUndefined();
    const changed = await parties.call('GET', `/v1/parties/${id}/summary`, reader, undefined, {
      'if-none-match': '"0"',
    });
    expect(changed.status).toBe(200);
  });

  it('should replay the answer when a create is retried with the same Idempotency-Key', async () => {
    const body = { kind: 'company', name: 'Once Only Oy', country: 'FI' };
    const first = await create(body, { 'idempotency-key': 'create-once-only-1' });
    const again = await create(body, { 'idempotency-key': 'create-once-only-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect((await parties.call('GET', '/v1/parties?q=once%20only', reader)).body.items).toHaveLength(1);
  });

  it('should answer 401 without a token and 403 without the permission', async () => {
    const anonymous = await parties.call('GET', '/v1/parties', undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    const denied = await parties.call('POST', '/v1/parties', reader, {
      kind: 'company',
      name: 'N',
      country: 'DE',
    });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'FORBIDDEN', permission: 'parties:parties:write' });
    const nobody = await parties.token([]);
    expect((await parties.call('GET', '/v1/parties', nobody)).status).toBe(403);
  });

  it('should publish created, updated, deleted and restored with actor and before/after', async () => {
    const actorId = '0193a1b2-0000-7000-8000-0000000000ab';
    const actor = await parties.token(['parties:parties:write'], actorId);
    const created = await parties.call('POST', '/v1/parties', actor, {
      kind: 'company',
      name: 'Evented SARL',
      country: 'FR',
      email: 'secret-person@example.com',
    });
    const id = created.body.id as string;
    await parties.call('PATCH', `/v1/parties/${id}`, actor, { name: 'Evented SAS' }, { 'if-match': '"1"' });
    await parties.call('DELETE', `/v1/parties/${id}`, actor, undefined, { 'if-match': '"2"' });
    await parties.call('POST', `/v1/parties/${id}/restore`, actor);

    const events = (await parties.outbox()).filter((event) => event.subject === id);
    expect(events.map((event) => event.type)).toEqual([
      'lessor.parties.party.created.v1',
      'lessor.parties.party.updated.v1',
      'lessor.parties.party.deleted.v1',
      'lessor.parties.party.restored.v1',
    ]);
    expect(events.every((event) => event.actor === actorId && event.source === '/lessor/parties')).toBe(true);
    expect(events[0]!.data).toMatchObject({
      entityType: 'party',
      entityId: id,
      before: null,
      after: { id, name: 'Evented SARL', kind: 'company', country: 'FR', kycStatus: 'pending' },
    });
    expect(events[1]!.data).toMatchObject({
      before: { name: 'Evented SARL' },
      after: { name: 'Evented SAS' },
      changed: ['name'],
    });
    // Personal contact details stay in parties.
    expect(JSON.stringify(events)).not.toContain('secret-person@example.com');
  });
});
