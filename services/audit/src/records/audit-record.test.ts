import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from '@lessor/events';
import { auditRecordOf } from './audit-record.ts';

const base: Omit<EventEnvelope, 'type' | 'data'> = {
  specversion: '1.0',
  id: '0193a1b2-0000-7000-8000-000000000001',
  source: '/lessor/sso',
  subject: '0193a1b2-0000-7000-8000-0000000000aa',
  time: '2026-11-25T10:00:00.000Z',
  datacontenttype: 'application/json',
  actor: 'admin-id',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

describe('auditRecordOf', () => {
  it('should record entity, actor, before/after and the trace when the event is a change', () => {
    const record = auditRecordOf({
      ...base,
      type: 'lessor.sso.user.updated.v1',
      data: {
        entityType: 'user',
        entityId: 'u1',
        before: { active: true },
        after: { active: false },
        changed: ['active'],
      },
    });
    expect(record).toMatchObject({
      service: 'sso',
      entityType: 'user',
      entityId: 'u1',
      action: 'updated',
      actor: 'admin-id',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      before: { active: true },
      after: { active: false },
      changed: ['active'],
    });
    expect(record.occurredAt.toISOString()).toBe('2026-11-25T10:00:00.000Z');
  });

  it('should record the subject and data when the event is a security event', () => {
    const record = auditRecordOf({
      ...base,
      type: 'lessor.sso.login.failed.v1',
      actor: undefined,
      data: { username: 'x', address: '10.0.0.1' },
    });
    expect(record).toMatchObject({
      entityType: 'login',
      entityId: base.subject,
      action: 'failed',
      actor: 'unknown',
      before: null,
      after: null,
      changed: [],
    });
    expect(record.data).toEqual({ username: 'x', address: '10.0.0.1' });
  });
});
