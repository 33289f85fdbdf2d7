import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '@lessor/events/testing';
import { supervise, type Supervisor } from '../src/supervisor.ts';

/** A child that lives until it is told otherwise; `crash` makes one that dies at once. */
function tiny(name: string, crash = false) {
  const script = crash ? 'process.exit(3)' : 'setInterval(() => {}, 1000)';
  return { name, start: () => spawn(process.execPath, ['-e', script], { stdio: 'ignore' }) };
}

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Issue 12, item 9: the supervisor of `npm run start:services` (src/supervisor.ts), on tiny children. */
describe('supervise', () => {
  let supervisor: Supervisor | undefined;
  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
  });

  it('should restart a child killed with SIGKILL after the first backoff and leave the others alone', async () => {
    const lines: string[] = [];
    supervisor = supervise([tiny('sso'), tiny('parties'), tiny('gateway')], {
      backoff: { initialMs: 200, maxMs: 1000 },
      log: (line) => lines.push(line),
    });
    const before = {
      sso: supervisor.pid('sso')!,
      parties: supervisor.pid('parties')!,
      gw: supervisor.pid('gateway')!,
    };
    process.kill(before.parties, 'SIGKILL');
    const restarted = await eventually(() => {
      const pid = supervisor!.pid('parties');
      return pid !== undefined && pid !== before.parties && alive(pid) ? pid : undefined;
    });
    expect(supervisor.restarts('parties')).toBe(1);
    expect(alive(restarted)).toBe(true);
    expect(supervisor.pid('sso')).toBe(before.sso);
    expect(supervisor.pid('gateway')).toBe(before.gw);
    expect(alive(before.sso) && alive(before.gw)).toBe(true);
    expect(lines[0]).toBe(
      'parties exited (SIGKILL); restarting in 0.20 s (crash 1 of 4 allowed within 60 s).',
    );
    expect(lines[1]).toBe(`parties restarted (pid ${restarted}).`);
  });

  it('should double the wait after each crash and give up at the limit, once', async () => {
    const lines: string[] = [];
    const gaveUp: string[] = [];
    supervisor = supervise([tiny('steady'), tiny('broken', true)], {
      backoff: { initialMs: 50, maxMs: 150 },
      crashLimit: { count: 5, windowMs: 60_000 },
      log: (line) => lines.push(line),
      onGiveUp: (name) => gaveUp.push(name),
    });
    const steady = supervisor.pid('steady')!;
    await eventually(() => gaveUp.length > 0 || undefined, { timeoutMs: 10_000 });
    const waits = lines
      .filter((line) => line.startsWith('broken exited'))
      .map((line) => /restarting in (\S+) s/.exec(line)?.[1] ?? 'gave up');
    expect(waits).toEqual(['0.05', '0.10', '0.15', '0.15', 'gave up']);
    expect(lines.at(-1)).toBe('broken exited (code 3): 5 crashes within 60 s; giving up on it.');
    expect(gaveUp).toEqual(['broken']);
    expect(supervisor.restarts('broken')).toBe(4);
    // Giving up decides nothing for the others: the runner stops them (stop()), the supervisor does not.
    expect(supervisor.pid('steady')).toBe(steady);
    expect(alive(steady)).toBe(true);
  });

  it('should stop every child on stop() and restart none of them', async () => {
    const lines: string[] = [];
    supervisor = supervise([tiny('a'), tiny('b')], {
      backoff: { initialMs: 10, maxMs: 10 },
      log: (line) => lines.push(line),
    });
    const pids = [supervisor.pid('a')!, supervisor.pid('b')!];
    await supervisor.stop();
    expect(pids.map(alive)).toEqual([false, false]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(supervisor.pid('a')).toBeUndefined();
    expect(supervisor.pid('b')).toBeUndefined();
    expect(lines).toEqual([]);
  });
});
