import { describe, expect, it } from 'vitest';
import { batchable, freshLeft, inAbortedTransaction } from './batch-paths.ts';
import type { BatchEntry, InboxState } from './batch-paths.ts';

const WITH_BATCH = { handleBatch: () => {} };
const WITHOUT_BATCH = { handleBatch: undefined };

function entry(id: string, subject: string, subscribed: BatchEntry['subscribed'] = [WITH_BATCH]): BatchEntry {
  return { event: { id, subject }, subscribed };
}

function states(entries: Record<string, InboxState>): Map<string, InboxState> {
  return new Map(Object.entries(entries));
}

describe('batchable', () => {
  it('should take the fresh events whose every subscription has a batch handler, in arrival order', () => {
    const entries = [
      entry('a', 's1'),
      entry('b', 's2', [WITH_BATCH, WITHOUT_BATCH]),
      entry('c', 's3', [WITH_BATCH, WITH_BATCH]),
    ];
    expect(batchable(entries, states({ a: 'claimed', b: 'claimed', c: 'claimed' }))).toEqual([0, 2]);
  });

  it('should leave out duplicates and second copies of an event when they are in the batch', () => {
    const entries = [entry('a', 's1'), entry('b', 's2'), entry('A', 's1')];
    // Ids compare in lower case: the inbox state is kept by the lower-case id.
    expect(batchable(entries, states({ a: 'claimed', b: 'done' }))).toEqual([0]);
  });

  it('should keep a whole subject on the per-event path when one of its events has no batch handler', () => {
    const entries = [
      entry('a', 'contract-1'),
      entry('b', 'contract-1', [WITHOUT_BATCH]),
      entry('c', 'contract-2'),
    ];
    expect(batchable(entries, states({ a: 'claimed', b: 'claimed', c: 'claimed' }))).toEqual([2]);
  });
});

describe('freshLeft', () => {
  it('should give the first copy of each claimed event without a verdict, in arrival order', () => {
    const entries = [
      entry('a', 's1'),
      entry('b', 's2'),
      entry('c', 's3'),
      entry('c', 's3'),
      entry('d', 's4'),
    ];
    const inbox = states({ a: 'claimed', b: 'done', c: 'claimed', d: 'absent' });
    expect(freshLeft(entries, inbox, [])).toEqual([0, 2]);
    expect(freshLeft(entries, inbox, ['applied'])).toEqual([2]);
  });
});

describe('inAbortedTransaction', () => {
  it("should find PostgreSQL's SQLSTATE 25P02 on the error or down its causes", () => {
    const aborted = Object.assign(new Error('current transaction is aborted'), { code: '25P02' });
    expect(inAbortedTransaction(aborted)).toBe(true);
    expect(
      inAbortedTransaction(new Error('posting failed', { cause: new Error('query', { cause: aborted }) })),
    ).toBe(true);
  });

  it('should say no when the error is any other one, or nothing at all', () => {
    expect(inAbortedTransaction(Object.assign(new Error('unique violation'), { code: '23505' }))).toBe(false);
    expect(inAbortedTransaction('a string')).toBe(false);
    expect(inAbortedTransaction(undefined)).toBe(false);
  });

  it('should stop looking when the causes go round in a circle', () => {
    const first = new Error('first') as Error & { cause?: unknown };
    first.cause = new Error('second', { cause: first });
    expect(inAbortedTransaction(first)).toBe(false);
  });
});
