import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { newId } from '@lessor/service-kit';
import type { __Name__Database } from '../database.ts';
import { countByCountry } from '../digests/digest.ts';

export interface DigestJob {
  /** Runs once now (what the timer does); a run already under way is joined, not doubled. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Every interval, gathers the parties learned since the last digest into a new digest. Replicas may all run it:
 * the waiting rows are locked (`skip locked`), so each party lands in one digest. A failed run is logged and
 * tried again at the next tick.
 */
export function startDigestJob(options: {
  db: Kysely<__Name__Database>;
  intervalMs: number;
  log: Logger;
}): DigestJob {
  let current: Promise<void> | undefined;
  let stopped = false;
  const makeDigest = async () => {
    if (stopped) return;
    try {
      await options.db.transaction().execute(async (trx) => {
        const waiting = await trx
          .selectFrom('learnedParties')
          .select(['partyId', 'country'])
          .where('digestId', 'is', null)
          .forUpdate()
          .skipLocked()
          .execute();
        if (waiting.length === 0) return;
        const digest = { id: newId(), parties: waiting.length };
        await trx.insertInto('digests').values(digest).execute();
        await trx
          .updateTable('learnedParties')
          .set({ digestId: digest.id })
          .where(
            'partyId',
            'in',
            waiting.map((party) => party.partyId),
          )
          .execute();
        options.log.info({ digestId: digest.id, byCountry: countByCountry(waiting) }, 'digest made');
      });
    } catch (error) {
      options.log.error({ err: error }, 'the digest job failed; it runs again at the next tick');
    }
  };
  const tick = () => {
    current ??= makeDigest().finally(() => {
      current = undefined;
    });
    return current;
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
