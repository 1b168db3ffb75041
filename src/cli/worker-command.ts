import { startWorker } from '../server/worker-runtime.js';

/**
 * `aios worker`: executes runs from the shared queue until SIGINT/SIGTERM (then its waiting runs
 * are handed to the other workers at once). Prints one line when ready:
 * `AIOS worker <executor id> is running (version <v>)`.
 */
export async function workerCommand(): Promise<void> {
  const w = await startWorker();
  process.stdout.write(`AIOS worker ${w.engine.presence.executorId} is running (version ${w.config.applicationVersion}, pid ${process.pid})\n`);
  let stopping = false;
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    w.log.info({ sig }, 'stopping');
    try {
      await w.stop();
    } catch (err) {
      process.stderr.write(`aios worker: stopping failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stop(sig));
}
