import { untilAborted } from './deadline.ts';

/** The service token of a client's calls, and the redaction of the tokens it sent from any text it shows. */
export interface TokenSource {
  /** The token to send, `undefined` without a token source; rejects with the signal's reason when it aborts first. */
  get(signal: AbortSignal): Promise<string | undefined>;
  /** `text` with every token sent lately replaced by `[redacted]` (a service may echo a token in an error). */
  redact(text: string): string;
}

// The current token and the one before it: a renewal on 401 leaves the refused one in recent messages.
const TOKENS_REMEMBERED = 2;

export function createTokenSource(fetchToken: (() => Promise<string>) | undefined): TokenSource {
  const tokensSent: string[] = [];
  return {
    async get(signal) {
      if (fetchToken === undefined) return undefined;
      const value = await untilAborted(fetchToken(), signal);
      if (!tokensSent.includes(value)) {
        tokensSent.push(value);
        if (tokensSent.length > TOKENS_REMEMBERED) tokensSent.shift();
      }
      return value;
    },
    redact: (text) => tokensSent.reduce((result, sent) => result.replaceAll(sent, '[redacted]'), text),
  };
}
