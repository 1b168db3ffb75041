import type { Db } from '../../store/db.js';
import type { Logger } from '../../core/logger.js';
import type { Clock } from '../../core/clock.js';
import { wakeDueRuns } from './run-parking.js';

/** How often a working process looks for parked runs whose deadline passed, in ms. */
export const WAKE_CHECK_MS = 1000;

/**
 * Wakes parked runs whose deadline has passed (a reply that never came; the moment a `waitUntil`
 * or `sleepUntil` waits for, read on the business clock `clock`), in every process that executes
 * runs. Several processes may run it: rows another one is waking are skipped. A woken run is
 * re-enqueued on the run queue and replayed by whichever worker takes it.
 */
export class ParkedRunWaker {
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly log: Logger, private readonly clock: Clock, private readonly everyMs = WAKE_CHECK_MS) {}

  /** Starts the periodic pass. */
  start(): void {
    this.timer = setInterval(() => {
      if (!this.pass) this.pass = this.wakeAll().then(() => undefined).finally(() => (this.pass = null));
    }, this.everyMs);
    this.timer.unref();
  }

  /** One pass: wakes every due run, 500 per transaction. @returns how many were woken. */
  async wakeAll(now = new Date(), businessNow = this.clock.now()): Promise<number> {
    let woken = 0;
    try {
      for (;;) {
        const ids = await wakeDueRuns(this.db, now, businessNow);
        woken += ids.length;
        if (ids.length < 500) break;
      }
    } catch (err) {
      this.log.warn({ err: String(err) }, 'waking parked runs failed; retrying at the next pass');
    }
    return woken;
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.pass;
  }
}
