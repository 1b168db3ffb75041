import { DBOS } from '@dbos-inc/dbos-sdk';

/**
 * The DBOS queue every run is started on. Partitioned by business (tenant id), so one business's
 * flood waits in its own partition: each worker executes at most `partitionWorkerConcurrency`
 * runs of one business at a time (work-conserving: a lone business still uses the whole machine
 * through many workers or slots, and a flood cannot take another business's slots), and each poll
 * of the queue visits the partitions in random order. An optional `partitionRateLimit` bounds how
 * many runs a business starts per second across every worker.
 *
 * The concurrency limit applies only while long waits park (`run-parking.ts`, on by default): a run
 * that waits two days for a reply in memory is PENDING in its worker and would hold a slot.
 */
export const RUN_QUEUE = 'aios-runs';

/** Queue settings (from `AiosConfig.work`). */
export interface RunQueueSettings {
  /** Runs one business may start per second, across all workers; 0 = no rate limit; null = {@link defaultRunsPerSecond}. */
  businessRunsPerSecond: number | null;
  /** Runs of one business one worker executes at the same time (only while runs park). */
  businessConcurrency: number;
  /** Waits at least this long park (0 = never): a slot limit needs parked waits. */
  parkAfterMs: number;
  /** Base interval between a worker's polls of the queue, in ms. */
  queuePollMs: number;
}

/**
 * The per-business start rate when none is configured: 10 runs/s once the instance serves several
 * businesses (measured: without it, a business flooding at 200 calls/s takes the CPU and another
 * business's texts wait 10–20× longer; with it 2–3×), none for a single business, whose own
 * bursts have nobody to yield to.
 */
export function defaultRunsPerSecond(businesses: number): number {
  return businesses > 1 ? 10 : 0;
}

/**
 * Registers (or updates) the run queue in DBOS's system database. Call after `DBOS.launch()`.
 * Only a process of the latest application version updates an existing queue's settings
 * (DBOS's `update_if_latest_version`), so an older worker in a rolling upgrade cannot undo them.
 */
export async function registerRunQueue(s: RunQueueSettings, businesses: number): Promise<void> {
  const perSecond = s.businessRunsPerSecond ?? defaultRunsPerSecond(businesses);
  await DBOS.registerQueue(RUN_QUEUE, {
    // Without parking a waiting run is PENDING in its worker for days and would hold a slot.
    ...(s.parkAfterMs > 0 ? { partitionWorkerConcurrency: s.businessConcurrency } : {}),
    ...(perSecond > 0 ? { partitionRateLimit: { limitPerPeriod: perSecond, periodSec: 1 } } : {}),
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
