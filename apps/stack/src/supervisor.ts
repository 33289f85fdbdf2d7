import type { ChildProcess } from 'node:child_process';

/** One process the supervisor keeps running: its name and how to start it (again). */
export interface SupervisedChild {
  name: string;
  start(): ChildProcess;
}

export interface SupervisorOptions {
  /** The first restart waits `initialMs`, each further crash in the window twice as long, up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
  /** This many crashes of one child within `windowMs` and the supervisor gives up (`onGiveUp`). */
  crashLimit?: { count: number; windowMs: number };
  /** Where the supervisor says what it does (a line each, no newline). */
  log?: (line: string) => void;
  /** A child crashed too often: the caller decides (the runner stops Lessor). Called once. */
  onGiveUp?: (name: string) => void;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

/** The running supervisor. */
export interface Supervisor {
  /** The pid of a child's current process (undefined while it waits for its restart). */
  pid(name: string): number | undefined;
  /** How many times a child has been restarted so far. */
  restarts(name: string): number;
  /** Stops restarting, sends SIGTERM to every child in reverse start order, resolves once all have exited. */
  stop(): Promise<void>;
}

export const DEFAULT_BACKOFF = { initialMs: 1000, maxMs: 30_000 };
export const DEFAULT_CRASH_LIMIT = { count: 5, windowMs: 60_000 };

interface Slot {
  child: SupervisedChild;
  process: ChildProcess | undefined;
  crashes: number[];
  restarts: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Keeps child processes running as an orchestrator would: one that exits by itself (a crash, `kill -9`, an
 * exit code of 0 too — a service never ends on its own) is started again after 1 s, 2 s, 4 s … (capped at
 * 30 s), counted over a sliding window; the others are not touched. The fifth crash of one child within 60 s
 * is given up on (`onGiveUp`): a service that cannot stay up is broken, and restarting it forever would
 * hide that. Only `stop()` (Ctrl-C) ends the children on purpose.
 */
export function supervise(children: readonly SupervisedChild[], options: SupervisorOptions = {}): Supervisor {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const limit = options.crashLimit ?? DEFAULT_CRASH_LIMIT;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const grace = options.stopGraceMs ?? 12_000;
  const slots = new Map<string, Slot>();
  let stopping = false;
  let gaveUp = false;

  const launch = (slot: Slot) => {
    const started = slot.child.start();
    slot.process = started;
    let ended = false;
    const end = (how: string) => {
      if (ended) return;
      ended = true;
      if (slot.process === started) slot.process = undefined;
      if (stopping || gaveUp) return;
      crashed(slot, how);
    };
    started.once('exit', (code, signal) => end(signal ?? `code ${code}`));
    // A process that could not be started at all (no exit event follows) counts as a crash too.
    started.on('error', (error) => {
      log(`${slot.child.name}: ${error.message}`);
      if (started.pid === undefined) end('not started');
    });
  };

  const crashed = (slot: Slot, how: string) => {
    const now = Date.now();
    slot.crashes = [...slot.crashes.filter((at) => now - at < limit.windowMs), now];
    const name = slot.child.name;
    if (slot.crashes.length >= limit.count) {
      gaveUp = true;
      log(
        `${name} exited (${how}): ${slot.crashes.length} crashes within ${seconds(limit.windowMs)}; ` +
          'giving up on it.',
      );
      options.onGiveUp?.(name);
      return;
    }
    const delay = Math.min(backoff.initialMs * 2 ** (slot.crashes.length - 1), backoff.maxMs);
    log(
      `${name} exited (${how}); restarting in ${seconds(delay)} ` +
        `(crash ${slot.crashes.length} of ${limit.count - 1} allowed within ${seconds(limit.windowMs)}).`,
    );
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      if (stopping || gaveUp) return;
      launch(slot);
      slot.restarts += 1;
      log(`${name} restarted (pid ${slot.process?.pid}).`);
    }, delay);
  };

  for (const child of children) {
    if (slots.has(child.name)) throw new Error(`two children named ${child.name}`);
    const slot: Slot = { child, process: undefined, crashes: [], restarts: 0, timer: undefined };
    slots.set(child.name, slot);
    launch(slot);
  }

  return {
    pid: (name) => slots.get(name)?.process?.pid,
    restarts: (name) => slots.get(name)?.restarts ?? 0,
    async stop() {
      stopping = true;
      const running: ChildProcess[] = [];
      for (const slot of [...slots.values()].reverse()) {
        if (slot.timer) clearTimeout(slot.timer);
        const child = slot.process;
        if (child && child.exitCode === null && child.signalCode === null) {
          running.push(child);
          child.kill('SIGTERM');
        }
      }
      await Promise.all(
        running.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const force = setTimeout(() => child.kill('SIGKILL'), grace);
              child.once('exit', () => {
                clearTimeout(force);
                resolve();
              });
            }),
        ),
      );
    },
  };
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(2)} s`;
}
