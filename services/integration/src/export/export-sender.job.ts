import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ODataClient } from '../odata/index.ts';
import { ODataThrottledError } from '../odata/index.ts';
import type { ClaimedEntry, ExportRepository } from './export.repository.ts';
import {
  backoffMs,
  entryIdFilter,
  journalEntryBody,
  outcomeOf,
  reasonOf,
  type ExportTarget,
  type SendOutcome,
} from './export.ts';

/** The accounting system entries go to: the enabled accounting connector, its client and where entries go. */
export interface AccountingConnection {
  connectorId: string;
  client: ODataClient;
  target: ExportTarget;
}

export interface ExportSenderOptions {
  entries: ExportRepository;
  /** The enabled accounting connector, or null when there is none (entries then wait, pending). */
  accounting: () => Promise<AccountingConnection | null>;
  /** Entries taken per round (and per `$batch`). */
  batchSize: number;
  /** How long a taken entry is left to this process before another may look it up and send it. */
  leaseMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Between rounds; 0: no timer (`tick()` only — the tests drive it). */
  intervalMs: number;
  log: Logger;
  registry: Registry;
}

/** What one round did (the tests and the log read it). */
export interface SendRound {
  acknowledged: number;
  refused: number;
  postponed: number;
}

type Decision =
  | { kind: 'acknowledged'; as: 'created' | 'duplicate' }
  | { kind: 'refused'; reason: string }
  | { kind: 'postponed'; outcome: SendOutcome; error: unknown };

/**
 * Sends pending entries to the accounting system: at most one entry per entry id, ever. An entry is marked `sent`
 * before it goes out; the answer then makes it acknowledged (created, or found there already), refused (with the
 * system's reason), or leaves it for a later round with backoff. An entry whose answer was lost (the system
 * down mid-request, this process killed) is looked up by its id before it is sent again, and the system refuses a
 * second entry with the same id anyway — so an entry arrives once, whatever fails when.
 */
export class ExportSender {
  #current: Promise<SendRound> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Connectors whose server refused a `$batch`: their entries go one request each. */
  readonly #noBatch = new Set<string>();
  readonly #sent: Counter<'outcome'>;

  constructor(private readonly options: ExportSenderOptions) {
    this.#sent = new Counter({
      name: 'lessor_integration_export_entries_total',
      help: 'Journal entries answered by the accounting system, by outcome (created, duplicate: it had it; refused; postponed: down, throttled or the connector refused).',
      labelNames: ['outcome'],
      registers: [options.registry],
    });
    for (const outcome of ['created', 'duplicate', 'refused', 'postponed']) this.#sent.inc({ outcome }, 0);
    // Read from the table when scraped, so the backlog shows even with the job off or the connector missing.
    const { entries, log } = options;
    let waiting: Promise<Awaited<ReturnType<ExportRepository['waiting']>> | undefined> | undefined;
    const read = () =>
      (waiting ??= entries
        .waiting()
        .catch((error: unknown) => {
          log.warn({ err: error }, 'could not count the export backlog for the metrics');
          return undefined;
        })
        .finally(() => {
          waiting = undefined;
        }));
    new Gauge({
      name: 'lessor_integration_export_waiting_entries',
      help: 'Journal entries not answered by the accounting system yet: pending, or sent with the answer not known.',
      labelNames: ['status'],
      registers: [options.registry],
      async collect() {
        const now = await read();
        if (!now) return;
        this.set({ status: 'pending' }, now.pending);
        this.set({ status: 'sent' }, now.sent);
      },
    });
    new Gauge({
      name: 'lessor_integration_export_oldest_waiting_seconds',
      help: 'Age of the oldest journal entry not answered yet (0 when none waits): an export stuck grows it.',
      registers: [options.registry],
      async collect() {
        const now = await read();
        if (now) this.set(now.oldestSeconds);
      },
    });
  }

  start(): void {
    if (this.options.intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.#timer.unref();
  }

  /** Ends the timer and waits for the round under way (its answers are written before the database closes). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#current;
  }

  /** One round now, or the one under way: rounds never overlap in a process (replicas skip each other's rows). */
  tick(): Promise<SendRound> {
    this.#current ??= this.#round().finally(() => {
      this.#current = undefined;
    });
    return this.#current;
  }

  async #round(): Promise<SendRound> {
    const round: SendRound = { acknowledged: 0, refused: 0, postponed: 0 };
    if (this.#stopped) return round;
    try {
      const accounting = await this.options.accounting();
      if (!accounting) return round;
      const claimed = await this.options.entries.claimDue(
        this.options.batchSize,
        this.options.leaseMs,
        accounting.connectorId,
      );
      if (claimed.length === 0) return round;
      const decisions = await this.#send(accounting, claimed);
      for (const { entry, wasSent } of claimed) {
        // Not tried this round (the system was found down on an earlier entry): nothing of it went out.
        const decision = decisions.get(entry.entryId) ?? {
          kind: 'postponed',
          outcome: 'blocked',
          error: new Error('not sent: the accounting system failed on an earlier entry of the round'),
        };
        await this.#record(entry.entryId, entry.attempts, wasSent, decision, round);
      }
      this.options.log.info(round, 'export round sent journal entries');
    } catch (error) {
      this.options.log.error({ err: error }, 'the export round failed; it runs again at the next tick');
    }
    return round;
  }

  async #record(
    entryId: string,
    attempts: number,
    wasSent: boolean,
    decision: Decision,
    round: SendRound,
  ): Promise<void> {
    const { entries } = this.options;
    if (decision.kind === 'acknowledged') {
      await entries.acknowledge(entryId, decision.as);
      this.#sent.inc({ outcome: decision.as });
      round.acknowledged += 1;
    } else if (decision.kind === 'refused') {
      await entries.refuse(entryId, decision.reason);
      this.#sent.inc({ outcome: 'refused' });
      round.refused += 1;
      this.options.log.warn({ entryId, reason: decision.reason }, 'the accounting system refused an entry');
    } else {
      let delay = backoffMs(attempts, this.options.backoffBaseMs, this.options.backoffMaxMs);
      if (decision.error instanceof ODataThrottledError && decision.error.retryAfterMs !== null)
        delay = Math.max(delay, decision.error.retryAfterMs);
      // Blocked (the connector refused, not the entry) or not tried: nothing of this round arrived, so it is
      // pending again — unless an earlier send of it is still unanswered, which a lookup settles first.
      const status = decision.outcome === 'blocked' && !wasSent ? 'pending' : 'sent';
      await entries.postpone(entryId, status, reasonOf(decision.error), delay);
      this.#sent.inc({ outcome: 'postponed' });
      round.postponed += 1;
    }
  }

  /**
   * The answers for the entries taken. Those whose earlier send went unanswered are looked up first; the rest go
   * in one `$batch` (a changeset each, so one refusal does not fail the others) where the server takes it, one
   * request each otherwise. The first sign of a system down or refusing the connector ends the round: the entries
   * not yet sent wait for the next one.
   */
  async #send(accounting: AccountingConnection, claimed: ClaimedEntry[]): Promise<Map<string, Decision>> {
    const decisions = new Map<string, Decision>();
    const toSend: ClaimedEntry[] = [];
    for (const one of claimed) {
      if (!one.wasSent) {
        toSend.push(one);
        continue;
      }
      try {
        if (await this.#exists(accounting, one.entry.entryId)) {
          decisions.set(one.entry.entryId, { kind: 'acknowledged', as: 'duplicate' });
        } else {
          toSend.push(one);
        }
      } catch (error) {
        decisions.set(one.entry.entryId, { kind: 'postponed', outcome: outcomeOf(error), error });
        return decisions;
      }
    }
    if (toSend.length > 1 && !this.#noBatch.has(accounting.connectorId)) {
      const batched = await this.#sendBatch(accounting, toSend);
      if (batched) {
        for (const [entryId, decision] of batched) decisions.set(entryId, decision);
        return decisions;
      }
    }
    for (const one of toSend) {
      const decision = await this.#sendOne(accounting, one);
      decisions.set(one.entry.entryId, decision);
      if (decision.kind === 'postponed') break;
    }
    return decisions;
  }

  async #exists({ client, target }: AccountingConnection, entryId: string): Promise<boolean> {
    const page = await client.page(target.entitySet, {
      filter: entryIdFilter(entryId, client.version),
      select: ['EntryID'],
      top: 1,
    });
    return page.records.length > 0;
  }

  async #sendOne({ client, target }: AccountingConnection, one: ClaimedEntry): Promise<Decision> {
    try {
      await client.create(target.entitySet, journalEntryBody(one.entry, one.lines, target, client.version));
      return { kind: 'acknowledged', as: 'created' };
    } catch (error) {
      return decide(error);
    }
  }

  /** The entries in one `$batch`; undefined when the server does not take one (they then go one by one). */
  async #sendBatch(
    { connectorId, client, target }: AccountingConnection,
    toSend: ClaimedEntry[],
  ): Promise<Map<string, Decision> | undefined> {
    const decisions = new Map<string, Decision>();
    try {
      const answers = await client.batch(
        toSend.map(({ entry, lines }) => ({
          method: 'POST',
          entitySet: target.entitySet,
          body: journalEntryBody(entry, lines, target, client.version),
        })),
        { atomic: false },
      );
      toSend.forEach(({ entry }, index) => {
        const answer = answers[index];
        if (!answer) {
          decisions.set(entry.entryId, {
            kind: 'postponed',
            outcome: 'uncertain',
            error: new Error('the $batch answer has no part for this entry'),
          });
        } else if (answer.error) {
          decisions.set(entry.entryId, decide(answer.error));
        } else {
          decisions.set(entry.entryId, { kind: 'acknowledged', as: 'created' });
        }
      });
      return decisions;
    } catch (error) {
      const outcome = outcomeOf(error);
      if (outcome === 'refused' || outcome === 'blocked') {
        // The server refuses the `$batch` itself (not offered, or not with deep inserts): one request each.
        this.options.log.warn(
          { connectorId, reason: reasonOf(error) },
          'the accounting system refused a $batch; sending its entries one by one from now on',
        );
        this.#noBatch.add(connectorId);
        return undefined;
      }
      for (const { entry } of toSend) decisions.set(entry.entryId, { kind: 'postponed', outcome, error });
      return decisions;
    }
  }
}

function decide(error: unknown): Decision {
  const outcome = outcomeOf(error);
  if (outcome === 'duplicate') return { kind: 'acknowledged', as: 'duplicate' };
  if (outcome === 'refused') return { kind: 'refused', reason: reasonOf(error) };
  return { kind: 'postponed', outcome, error };
}
