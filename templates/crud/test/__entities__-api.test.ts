import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService, type TestServices } from '@lessor/service-kit/testing';
import type { paths } from '../openapi.ts';
import { __nameCamel__Service } from '../src/__name__.service.ts';

describe('__name__ API: __entitiesWords__', () => {
  let service: TestServices & TestService;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    service = await startTestService(__nameCamel__Service);
    writer = await service.token(['__name__:__entities__:read', '__name__:__entities__:write']);
    reader = await service.token(['__name__:__entities__:read']);
  });
  afterAll(() => service.close());

  const create = (body: Record<string, unknown>) => service.call('POST', '/v1/__entities__', writer, body);

  it('should create a __entityWords__, then read, list and change it through the typed client', async () => {
    const api = service.api<paths>(writer);
    const created = await api.POST('/v1/__entities__', {
      body: { name: '  First   __entityWords__ ', description: 'Made by the generator’s test' },
    });
    expect(created.response.status).toBe(201);
    expect(created.response.headers.get('etag')).toBe('"1"');
    const id = created.data!.id;
    expect(created.data).toMatchObject({ name: 'First __entityWords__', version: 1, deletedAt: null });

    const read = await service.call('GET', `/v1/__entities__/${id}`, reader);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.data);

    const listed = await service.call('GET', '/v1/__entities__?q=FIRST', reader);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([id]);

    const changed = await service.call(
      'PATCH',
      `/v1/__entities__/${id}`,
      writer,
      { description: null },
      {
        'if-match': '"1"',
      },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ description: null, version: 2 });
  });

  it('should answer 400 naming the field when the body breaks the schema', async () => {
    const answer = await create({ name: '   ', colour: 'red' });
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('VALIDATION_FAILED');
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain('/body/name');
  });

  it('should answer 401 without a token and 403 when the token lacks the write permission', async () => {
    expect((await service.call('GET', '/v1/__entities__', undefined)).status).toBe(401);
    const refused = await service.call('POST', '/v1/__entities__', reader, { name: 'Not mine to make' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
  });

  it('should hide a deleted __entityWords__ until it is restored, and keep the row', async () => {
    const { body: created } = await create({ name: 'Short-lived' });
    const id: string = created.id;
    expect((await service.call('DELETE', `/v1/__entities__/${id}`, writer, undefined)).status).toBe(428);
    const deleted = await service.call('DELETE', `/v1/__entities__/${id}`, writer, undefined, {
      'if-match': '"1"',
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).not.toBeNull();
    expect((await service.call('GET', `/v1/__entities__/${id}`, reader)).status).toBe(404);
    const onlyDeleted = await service.call('GET', '/v1/__entities__?deleted=only', reader);
    expect(onlyDeleted.body.items.map((item: { id: string }) => item.id)).toEqual([id]);

    const restored = await service.call('POST', `/v1/__entities__/${id}/restore`, writer, undefined);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ deletedAt: null, version: 3 });
    expect((await service.call('GET', `/v1/__entities__/${id}`, reader)).status).toBe(200);
  });

  it('should put each change event in the outbox, in the order of the changes', async () => {
    const { body: created } = await create({ name: 'Audited' });
    const id: string = created.id;
    await service.call(
      'PATCH',
      `/v1/__entities__/${id}`,
      writer,
      { name: 'Audited again' },
      { 'if-match': '"1"' },
    );
    await service.call('DELETE', `/v1/__entities__/${id}`, writer, undefined, { 'if-match': '"2"' });
    await service.call('POST', `/v1/__entities__/${id}/restore`, writer, undefined);

    const events = (await service.outbox()).filter((event) => event.subject === id);
    expect(events.map((event) => event.type)).toEqual([
      'lessor.__name__.__entity__.created.v1',
      'lessor.__name__.__entity__.updated.v1',
      'lessor.__name__.__entity__.deleted.v1',
      'lessor.__name__.__entity__.restored.v1',
    ]);
    expect(events[1]!.data).toMatchObject({
      before: { name: 'Audited' },
      after: { name: 'Audited again' },
      changed: ['name'],
    });
  });
});
