import { Cron } from 'croner';

/** A schedule made from a cron expression (croner: 5 fields, or 6 with seconds first), in UTC. */
function cronOf(expression: string): Cron {
  return new Cron(expression, { paused: true, timezone: 'UTC', mode: '5-or-6-parts' });
}

/** Why an expression is not a schedule, or undefined when it is one (the message names what is wrong). */
export function scheduleProblem(expression: string): string | undefined {
  try {
    if (cronOf(expression).nextRun(new Date()) === null) return 'never fires';
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, '');
  }
}

/** When the schedule fires next after `after`; null for no schedule (or one that never fires again). */
export function nextFire(expression: string | null, after: Date): Date | null {
  if (expression === null) return null;
  return cronOf(expression).nextRun(after);
}
