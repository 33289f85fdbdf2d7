import pg from 'pg';
import type { Logger } from 'pino';

/**
 * A session of its own that LISTENs on the bus's channel, reconnecting (1 s, then up to 30 s apart) when the
 * server drops it; consumers poll meanwhile.
 */
export async function listenTo(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  logger: Logger,
): Promise<{ close(): Promise<void> }> {
  let client: pg.Client | undefined;
  let closed = false;
  let delay = 1000;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (notification) => onPayload(notification.payload ?? ''));
    next.on('error', (error) => {
      logger.warn({ err: error }, 'the bus’s notification session failed; reconnecting');
      void next.end().catch(() => {});
      if (client === next) client = undefined;
      if (!closed) setTimeout(retry, delay).unref();
    });
    await next.connect();
    await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    client = next;
    delay = 1000;
  };
  const retry = () => {
    if (closed || client) return;
    connect().catch(() => {
      delay = Math.min(delay * 2, 30_000);
      setTimeout(retry, delay).unref();
    });
  };
  await connect();
  return {
    close: async () => {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
