import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { holdLoopStallMeter, loopStalledMs } from './loop-stall.ts';

/** Keeps this thread's event loop from running for `ms`, as a long synchronous task would. */
function blockEventLoop(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

describe('loop-stall meter', () => {
  it('should count the time the loop was blocked while the meter is held', async () => {
    const release = holdLoopStallMeter();
    try {
      await sleep(20);
      const before = loopStalledMs();
      blockEventLoop(100);

      // The stall in progress is counted before the meter's own timer has had a chance to run.
      expect(loopStalledMs() - before).toBeGreaterThanOrEqual(80);
    } finally {
      release();
    }
  });
});
