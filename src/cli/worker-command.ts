import { startWorker } from '../server/worker-runtime.js';
import { stopOnSignals } from './stop-on-signals.js';

/**
 * `aios worker`: executes runs from the shared queue until SIGINT/SIGTERM (then its waiting runs
 * are handed to the other workers at once). Prints one line when ready:
 * `AIOS worker <executor id> is running (version <v>)`.
 */
export async function workerCommand(): Promise<void> {
  const w = await startWorker();
  process.stdout.write(`AIOS worker ${w.engine.presence.executorId} is running (version ${w.config.applicationVersion}, pid ${process.pid})\n`);
  stopOnSignals('aios worker', w.log, () => w.stop());
}
