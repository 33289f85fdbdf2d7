import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type DestinationStream, type Level, type LevelWithSilent, type Logger } from 'pino';
import { REDACTED_PATHS } from '@lessor/service-kit';

/** Where `npm start` logs: the console for what a person must see, a file for everything else. */
export interface EmbeddedLogging {
  /** `<LESSOR_DATA_DIR>/logs/lessor.log`. */
  file: string;
  /** The logger of one service (or `bus`, `demo`): the same JSON lines as a service's own, `service` on each. */
  logger(service: string): Logger;
  /** Writes out what is still buffered (before process.exit). */
  flush(): void;
}

/** A log bigger than this at start is moved to `lessor.log.1` (the one before it is dropped). */
const ROTATE_BYTES = 20 * 1024 * 1024;

const ORDER: readonly LevelWithSilent[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * The embedded runner's logging. The console gets `consoleLevel` and above (default warn: a start is a few
 * hundred request lines at info, which buried the banner); the file gets info and above, or everything the
 * console gets when LOG_LEVEL is more verbose than info. Secrets are redacted as in every service's log.
 */
export function embeddedLogging(
  dataDir: string,
  consoleLevel: LevelWithSilent,
  options: { rotate?: boolean } = {},
): EmbeddedLogging {
  const directory = join(dataDir, 'logs');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, 'lessor.log');
  // Only the runner rotates; each service process appends to the same file (O_APPEND: whole lines each).
  if (options.rotate !== false && existsSync(file) && statSync(file).size > ROTATE_BYTES)
    renameSync(file, `${file}.1`);
  const fileLevel: Level =
    ORDER.indexOf(consoleLevel) < ORDER.indexOf('info') ? (consoleLevel as Level) : 'info';
  const destination = pino.destination({ dest: file, append: true, sync: false });
  const streams: { level: Level; stream: DestinationStream }[] = [{ level: fileLevel, stream: destination }];
  if (consoleLevel !== 'silent') streams.push({ level: consoleLevel, stream: process.stdout });
  const root = pino(
    {
      level: fileLevel,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
  return {
    file,
    logger: (service) => root.child({ service }),
    flush: () => {
      try {
        destination.flushSync();
      } catch {
        // not open yet: nothing was written
      }
    },
  };
}
