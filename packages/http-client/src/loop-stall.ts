/**
 * How long this process's event loop could not run, measured only while calls are in flight: a timer due every
 * 10 ms notes how late it fires; the lateness adds up. A call that missed its deadline while the loop was stalled
 * for most of the wait may have had its answer sitting unread in the socket — that says nothing about the
 * service called, so the breaker must not count it (issue 13: the gateway's circuit to leasing opened when its
 * own loop was saturated). One meter per process (the loop is the process's), shared by every client.
 */
const TICK_MS = 10;

let holders = 0;
let timer: NodeJS.Timeout | undefined;
let dueAt = 0;
let stalledMs = 0;

function tick(): void {
  const now = performance.now();
  stalledMs += Math.max(0, now - dueAt);
  dueAt = now + TICK_MS;
}

/**
 * Starts measuring (if nobody else is) and returns the function that stops this holder's interest. The timer is
 * `unref`'d and runs only while at least one holder is in — an idle process pays nothing.
 */
export function holdLoopStallMeter(): () => void {
  if (holders === 0) {
    dueAt = performance.now() + TICK_MS;
    timer = setInterval(tick, TICK_MS);
    timer.unref();
  }
  holders += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders -= 1;
    if (holders === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * Milliseconds the loop has been stalled so far, the stall in progress included (the tick that is overdue
 * right now: a deadline's timer may run before the meter's in the same turn of the loop). Only differences
 * between two readings taken while holding the meter mean anything.
 */
export function loopStalledMs(): number {
  return stalledMs + Math.max(0, performance.now() - dueAt);
}
