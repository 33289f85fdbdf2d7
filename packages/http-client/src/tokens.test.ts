import { describe, expect, it } from 'vitest';
import { createTokenSource } from './tokens.ts';

describe('createTokenSource', () => {
  it('should give no token when the client has no token source', async () => {
    await expect(createTokenSource(undefined).get(new AbortController().signal)).resolves.toBeUndefined();
  });

  it('should redact the last two tokens sent when text echoes them', async () => {
    const issued = ['token-1', 'token-2', 'token-3'];
    const tokens = createTokenSource(() => Promise.resolve(issued.shift() ?? 'none'));
    const signal = new AbortController().signal;
    for (let i = 0; i < 3; i++) await tokens.get(signal);

    expect(tokens.redact('Bearer token-1, token-2, token-3')).toBe('Bearer token-1, [redacted], [redacted]');
  });

  it('should reject with the signal’s reason when it aborts before the token comes', async () => {
    const controller = new AbortController();
    const pending = createTokenSource(() => new Promise(() => {})).get(controller.signal);
    controller.abort(new Error('deadline'));

    await expect(pending).rejects.toThrow('deadline');
  });
});
