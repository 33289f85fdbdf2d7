import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService, type TestServices } from '@lessor/service-kit/testing';
import { partiesService } from '../src/parties.service.ts';

const CRM = 'crm:01900000-0000-7000-8000-000000000001';
const OTHER_CRM = 'crm:01900000-0000-7000-8000-000000000002';

describe('parties: external references', () => {
  let parties: TestServices & TestService;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    parties = await startTestService(partiesService, {
      setup: { backend: 'postgres', broker: 'in-process' },
    });
    writer = await parties.token(['parties:parties:read', 'parties:parties:write']);
    reader = await parties.token(['parties:parties:read']);
  });
  afterAll(() => parties.close());

  const create = (body: Record<string, unknown>) => parties.call('POST', '/v1/parties', writer, body);
  const update = (id: string, version: number, body: Record<string, unknown>) =>
    parties.call('PATCH', `/v1/parties/${id}`, writer, body, { 'if-match': `"${version}"` });
  const byRef = async (ref: string, extra = '') =>
    (
      await parties.call('GET', `/v1/parties?externalRef=${encodeURIComponent(ref)}${extra}`, reader)
    ).body.items.map((party: { id: string }) => party.id);

  it('should keep the references given at creation and find the party by one of them', async () => {
    const created = await create({
      kind: 'company',
      name: 'Ref Holder GmbH',
      country: 'DE',
      externalRefs: [
        { system: CRM, id: ' 4711 ' },
        { system: OTHER_CRM, id: 'a/b' },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.externalRefs).toEqual([
      { system: CRM, id: '4711' },
      { system: OTHER_CRM, id: 'a/b' },
    ]);
    expect(await byRef(`${CRM}/4711`)).toEqual([created.body.id]);
    // Split at the first slash: an id may hold one.
    expect(await byRef(`${OTHER_CRM}/a/b`)).toEqual([created.body.id]);
    expect(await byRef(`${OTHER_CRM}/4711`)).toEqual([]);
  });

  it('should answer 409 naming the holder when another live party has the reference', async () => {
    const holder = await create({
      kind: 'company',
      name: 'First Holder',
      country: 'AT',
      externalRefs: [{ system: CRM, id: 'taken-1' }],
    });
    const second = await create({
      kind: 'company',
      name: 'Second Holder',
      country: 'AT',
      externalRefs: [{ system: CRM, id: 'free-1' }],
    });
    expect(second.status).toBe(201);

    const taken = await create({
      kind: 'company',
      name: 'Third',
      country: 'AT',
      externalRefs: [{ system: CRM, id: 'taken-1' }],
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'PARTY_EXTERNAL_REF_TAKEN', partyId: holder.body.id });
    expect(taken.body.errors).toEqual([
      { field: '/body/externalRefs/0', message: 'is taken by another party' },
    ]);

    const onUpdate = await update(second.body.id, 1, {
      externalRefs: [
        { system: CRM, id: 'free-1' },
        { system: CRM, id: 'taken-1' },
      ],
    });
    expect(onUpdate.status).toBe(409);
    expect(onUpdate.body.errors[0].field).toBe('/body/externalRefs/1');
    // The same id in another system is another reference.
    const elsewhere = await update(second.body.id, 1, {
      externalRefs: [
        { system: CRM, id: 'free-1' },
        { system: OTHER_CRM, id: 'taken-1' },
      ],
    });
    expect(elsewhere.status).toBe(200);
    expect(await byRef(`${OTHER_CRM}/taken-1`)).toEqual([second.body.id]);
  });

  it('should replace the references on update, freeing the ones left out', async () => {
    const party = await create({
      kind: 'person',
      name: 'Ida Moved',
      country: 'DE',
      externalRefs: [{ system: CRM, id: 'moving' }],
    });
    const changed = await update(party.body.id, 1, { externalRefs: [{ system: CRM, id: 'moved' }] });
    expect(changed.status).toBe(200);
    expect(changed.body.externalRefs).toEqual([{ system: CRM, id: 'moved' }]);
    expect(await byRef(`${CRM}/moving`)).toEqual([]);
    const other = await create({
      kind: 'person',
      name: 'Jo Took',
      country: 'DE',
      externalRefs: [{ system: CRM, id: 'moving' }],
    });
    expect(other.status).toBe(201);
    // An update that does not send them keeps them.
    const renamed = await update(party.body.id, 2, { name: 'Ida Renamed' });
    expect(renamed.body.externalRefs).toEqual([{ system: CRM, id: 'moved' }]);
  });

  it('should free a deleted party’s references and refuse its restore once another took one', async () => {
    const party = await create({
      kind: 'company',
      name: 'Gone Soon',
      country: 'FR',
      externalRefs: [{ system: CRM, id: 'recycled' }],
    });
    const removed = await parties.call('DELETE', `/v1/parties/${party.body.id}`, writer, undefined, {
      'if-match': '"1"',
    });
    expect(removed.status).toBe(200);
    expect(await byRef(`${CRM}/recycled`)).toEqual([]);
    expect(await byRef(`${CRM}/recycled`, '&deleted=include')).toEqual([party.body.id]);

    const successor = await create({
      kind: 'company',
      name: 'Successor',
      country: 'FR',
      externalRefs: [{ system: CRM, id: 'recycled' }],
    });
    expect(successor.status).toBe(201);
    const restore = await parties.call('POST', `/v1/parties/${party.body.id}/restore`, writer);
    expect(restore.status).toBe(409);
    expect(restore.body).toMatchObject({ code: 'PARTY_EXTERNAL_REF_TAKEN', partyId: successor.body.id });

    // Once the successor lets it go, the restore brings the reference back to the first party.
    expect((await update(successor.body.id, 1, { externalRefs: [] })).status).toBe(200);
    expect((await parties.call('POST', `/v1/parties/${party.body.id}/restore`, writer)).status).toBe(200);
    expect(await byRef(`${CRM}/recycled`)).toEqual([party.body.id]);
  });

  it('should answer 4xx naming the field for a reference given twice or a malformed one', async () => {
    const twice = await create({
      kind: 'company',
      name: 'Twice',
      country: 'DE',
      externalRefs: [
        { system: CRM, id: 'x' },
        { system: CRM, id: 'x' },
      ],
    });
    expect(twice.status).toBe(422);
    expect(twice.body.errors).toEqual([{ field: '/body/externalRefs/1', message: 'is given twice' }]);
    const slash = await create({
      kind: 'company',
      name: 'Slash',
      country: 'DE',
      externalRefs: [{ system: 'crm/x', id: 'x' }],
    });
    expect(slash.status).toBe(400);
    expect(slash.body.errors[0].field).toMatch(/^\/body\/externalRefs\/0\/system/);
    const query = await parties.call('GET', '/v1/parties?externalRef=no-slash', reader);
    expect(query.status).toBe(400);
    expect(query.body.errors[0].field).toMatch(/externalRef/);
  });
});
