import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger (pino, JSON lines on stderr). `AIOS_LOG_LEVEL` sets the level (default `info`;
 * tests default to `warn`). Secrets are redacted by path.
 */
export function createLogger(name = 'aios'): Logger {
  const level = process.env.AIOS_LOG_LEVEL ?? (process.env.VITEST ? 'error' : 'info');
  return pino(
    {
      name,
      level,
      redact: { paths: ['*.authToken', '*.token', '*.password', '*.secret', 'headers.authorization'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
}
