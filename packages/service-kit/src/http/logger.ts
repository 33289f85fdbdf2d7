import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

/**
 * Paths pino blanks in every log line. Secrets must never reach a log (ARCHITECTURE.md §4), and a field
 * added to a body later is covered by the wildcards without anyone remembering this list.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.newPassword',
  '*.refreshToken',
  '*.accessToken',
  '*.clientSecret',
  '*.client_secret',
  '*.secret',
  'password',
  'refreshToken',
  'accessToken',
  'clientSecret',
];

/**
 * The JSON logger of a service: one line per event, the service name on each, secrets redacted. Lines go to
 * stdout unless a destination is given (the benches write them to /dev/null to count their cost).
 */
export function createLogger(
  service: string,
  level: LevelWithSilent = 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
