import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { attemptSignal, untilAborted, withinDeadline } from './deadline.ts';

/** A promise that ends only when `signal` aborts, rejecting with its reason — a service that never answers. */
function hangUntilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    signal.addEventListener('abort', () => reject(signal.reason as Error));
  });
}

describe('withinDeadline', () => {
  it('should abort the call with a TimeoutError when its deadline passes', async () => {
    const error: unknown = await withinDeadline(20, undefined, new Set(), hangUntilAborted).catch(
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: 'TimeoutError', message: 'the call deadline passed' });
  });

  it('should abort the call with the caller’s reason when the caller aborts', async () => {
    const caller = new AbortController();
    const pending = withinDeadline(10_000, caller.signal, new Set(), hangUntilAborted);
    caller.abort(new Error('the request was abandoned'));

    await expect(pending).rejects.toThrow('the request was abandoned');
  });

  it('should start aborted when the caller’s signal already is', async () => {
    const caller = new AbortController();
    caller.abort(new Error('gone already'));

    await expect(withinDeadline(10_000, caller.signal, new Set(), hangUntilAborted)).rejects.toThrow(
      'gone already',
    );
  });

  it('should hold its controller in inFlight while it runs so that a closing client can abort it', async () => {
    const inFlight = new Set<AbortController>();
    const pending = withinDeadline(10_000, undefined, inFlight, hangUntilAborted);

    expect(inFlight.size).toBe(1);
    for (const controller of inFlight) controller.abort(new Error('closed'));
    await expect(pending).rejects.toThrow('closed');
    expect(inFlight.size).toBe(0);
  });

  it('should resolve with what the call gives when it ends in time', async () => {
    await expect(withinDeadline(1000, undefined, new Set(), () => Promise.resolve(42))).resolves.toBe(42);
  });
});

describe('attemptSignal', () => {
  const call = new AbortController().signal;

  it('should use the call’s own signal when there is no attempt timeout or it is not shorter than the time left', () => {
    expect(attemptSignal(call, undefined, 300)).toBe(call);
    expect(attemptSignal(call, 300, 300)).toBe(call);
    expect(attemptSignal(call, 500, 300)).toBe(call);
  });

  it('should cut the attempt short when its timeout is shorter than the time left', async () => {
    const signal = attemptSignal(call, 20, 300);

    expect(signal).not.toBe(call);
    await sleep(200);
    expect(signal.aborted).toBe(true);
    expect(call.aborted).toBe(false);
  });

  it('should abort the attempt when the call is aborted', () => {
    const controller = new AbortController();
    const signal = attemptSignal(controller.signal, 100, 300);
    controller.abort(new Error('deadline'));

    expect(signal.aborted).toBe(true);
  });
});

describe('untilAborted', () => {
  it('should reject with the signal’s reason when it aborts before the promise settles', async () => {
    const controller = new AbortController();
    const pending = untilAborted(new Promise(() => {}), controller.signal);
    controller.abort(new Error('deadline'));

    await expect(pending).rejects.toThrow('deadline');
  });

  it('should resolve with the promise’s value when it settles first', async () => {
    await expect(untilAborted(Promise.resolve('token'), new AbortController().signal)).resolves.toBe('token');
  });
});
