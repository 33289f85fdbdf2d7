import type { EventEnvelope } from '../envelope.ts';

// Which events of a batch take which path (apply-batch.ts runs them), decided without I/O.

/**
 * Where an event of a batch stands in its transaction, by event id (lower case). claimed: its inbox row went in
 * with this batch and no copy has been handled yet; done: recorded (before or in this batch), so a copy is a
 * duplicate; absent: a copy failed in this batch and its row was deleted.
 */
export type InboxState = 'claimed' | 'done' | 'absent';

/** What choosing a path needs to know of an event of the batch. */
export interface BatchEntry {
  event: Pick<EventEnvelope, 'id' | 'subject'>;
  /** Its matching subscriptions: only whether each has a batch handler matters here. */
  subscribed: readonly { handleBatch?: unknown }[];
}

/**
 * The indexes of the entries for the batch handlers: the first copy of each event whose inbox row this batch
 * inserted, when every subscription matching it has a batch handler — and none of its subject's events in
 * the batch lacks one, so a subject's events all run on one path, in arrival order.
 */
export function batchable(entries: readonly BatchEntry[], state: ReadonlyMap<string, InboxState>): number[] {
  const fresh: number[] = [];
  const seen = new Set<string>();
  const perEvent = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const id = entry.event.id.toLowerCase();
    if (state.get(id) !== 'claimed' || seen.has(id)) continue;
    seen.add(id);
    if (entry.subscribed.every((subscription) => subscription.handleBatch !== undefined)) fresh.push(index);
    else perEvent.add(entry.event.subject);
  }
  return fresh.filter((index) => !perEvent.has(entries[index]!.event.subject));
}

/** The first copy of each event this batch recorded and nobody has handled yet (no verdict), in arrival order. */
export function freshLeft(
  entries: readonly BatchEntry[],
  state: ReadonlyMap<string, InboxState>,
  verdicts: readonly unknown[],
): number[] {
  const fresh: number[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const id = entry.event.id.toLowerCase();
    if (verdicts[index] !== undefined || state.get(id) !== 'claimed' || seen.has(id)) continue;
    seen.add(id);
    fresh.push(index);
  }
  return fresh;
}

/**
 * True when `error` (or a cause of it) is PostgreSQL's "current transaction is aborted" (SQLSTATE 25P02): an
 * earlier handler swallowed a database error, so the handler that threw is not the one at fault.
 */
export function inAbortedTransaction(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== undefined && cause !== null && depth < 10; depth++) {
    if ((cause as { code?: unknown }).code === '25P02') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
