import { DBOS } from '@dbos-inc/dbos-sdk';

/**
 * The DBOS queue every run is started on. Partitioned by business (tenant id), so one business's
 * flood waits in its own partition: `partitionRateLimit` bounds how many runs a business starts per
 * second across every worker, and each poll of the queue visits the partitions in random order.
 *
 * No concurrency limit: a run that waits two days for a reply or seven for an approval is a
 * PENDING DBOS workflow, and DBOS counts PENDING workflows against `partitionConcurrency` and
 * `workerConcurrency`; a business with many waiting runs would be locked out of new ones.
 */
export const RUN_QUEUE = 'aios-runs';

/** Queue settings (from `AiosConfig.work`). */
export interface RunQueueSettings {
  /** Runs one business may start per second, across all workers. */
  businessRunsPerSecond: number;
  /** Base interval between a worker's polls of the queue, in ms. */
  queuePollMs: number;
}

/**
 * Registers (or updates) the run queue in DBOS's system database. Call after `DBOS.launch()`.
 * Only a process of the latest application version updates an existing queue's settings
 * (DBOS's `update_if_latest_version`), so an older worker in a rolling upgrade cannot undo them.
 */
export async function registerRunQueue(s: RunQueueSettings): Promise<void> {
  await DBOS.registerQueue(RUN_QUEUE, {
    partitionRateLimit: { limitPerPeriod: s.businessRunsPerSecond, periodSec: 1 },
    minPollingIntervalMs: s.queuePollMs,
  });
}

/**
 * Start parameters of a run: its id is the DBOS workflow id (enqueueing the same run twice returns
 * the existing workflow), its business the queue partition.
 */
export function runStartParams(runId: string, tenantId: string): { workflowID: string; queueName: string; enqueueOptions: { queuePartitionKey: string } } {
  return { workflowID: runId, queueName: RUN_QUEUE, enqueueOptions: { queuePartitionKey: tenantId } };
}
