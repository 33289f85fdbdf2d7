import { Agent, request } from 'undici';

/** An answer as the client uses it: status, headers (names lower-case), the whole body as text. */
export interface Exchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface ExchangeRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

// A page of 1000 wide CRM records is about 2 MB; past this the answer is refused rather than held in memory.
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * HTTP over undici with the client's own connection pool. Redirects are answered, never followed (undici's
 * `request` follows none): a 3xx is an answer the client refuses, so no server can send it elsewhere. The body
 * is read whole under the request's signal — a server that stalls mid-answer still meets the deadline.
 */
export class Transport {
  #closed = false;
  private readonly agent = new Agent({
    keepAliveTimeout: 10_000,
    connect: { timeout: 10_000 },
    connections: 8,
  });

  async exchange(input: ExchangeRequest, signal: AbortSignal): Promise<Exchange> {
    const answer = await request(input.url, {
      dispatcher: this.agent,
      method: input.method as 'GET',
      headers: input.headers,
      body: input.body,
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        answer.body.destroy();
        throw new Error(`the answer is larger than ${MAX_BODY_BYTES} bytes`);
      }
      chunks.push(chunk);
    }
    return {
      status: answer.statusCode,
      headers: answer.headers,
      text: Buffer.concat(chunks).toString('utf8'),
    };
  }

  /** Ends the calls under way and the pool; a second close does nothing (undici rejects one on a closed agent). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.agent.close().catch(() => undefined);
  }
}

/** One header's value (the first when repeated), or null. */
export function headerOf(exchange: Pick<Exchange, 'headers'>, name: string): string | null {
  const value = exchange.headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

/**
 * The session cookies of one service root (a v2 server ties its CSRF token to them): names and values from
 * `Set-Cookie`, sent back as `Cookie`. Attributes are not needed — the client talks to one origin only.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(exchange: Pick<Exchange, 'headers'>): void {
    const raw = exchange.headers['set-cookie'];
    const lines = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    for (const line of lines) {
      const pair = line.split(';', 1)[0] ?? '';
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      const expired = /;\s*max-age=0\b/i.test(line) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string | null {
    if (this.cookies.size === 0) return null;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  clear(): void {
    this.cookies.clear();
  }
}
