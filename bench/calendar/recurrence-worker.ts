import { parentPort, workerData } from 'node:worker_threads';
import { ADAPTERS, type RecurrenceCase } from './recurrence-adapters.js';

/**
 * Worker thread of the recurrence bench: runs one library over a list of cases, posting one
 * message per case (`{ index, got | error, ms }`). A case that hangs never posts; the parent
 * terminates this worker and starts a new one at the next case.
 */
const { library, cases, start } = workerData as { library: string; cases: RecurrenceCase[]; start: number };
const adapter = ADAPTERS[library]!;
for (let index = start; index < cases.length; index++) {
  const c = cases[index]!;
  const limit = c.complete ? c.expected.length + 5 : c.expected.length;
  const t0 = performance.now();
  try {
    const got = adapter(c, limit);
    parentPort!.postMessage({ index, got, ms: performance.now() - t0 });
  } catch (err) {
    parentPort!.postMessage({ index, error: err instanceof Error ? err.message : String(err), ms: performance.now() - t0 });
  }
}
