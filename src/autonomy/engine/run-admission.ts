/**
 * Local admission: whether a run this process is about to start runs here at once, or goes on the
 * run queue (`run-queue.ts`) for whichever worker polls first.
 *
 * Starting on the queue costs a poll (up to `AIOS_QUEUE_POLL_MS`, 200 ms by default, per text) and
 * the queue's claim statements. A process that executes runs anyway may instead start a run
 * directly (a DBOS workflow without a queue: one insert, then it runs in this process), as long as
 * it has room. Room is counted here, per process:
 *
 * - **executing runs**: runs between their start (or the end of a wait) and their next wait or
 *   their end, whoever started them (this lane, the queue or a recovery). A waiting run does not
 *   count: it costs memory, not CPU. At most `maxExecuting` in all, `businessExecuting` of one
 *   business; beyond that runs queue, and the queue's per-business limits take over.
 * - **start rate per business** (`runsPerSecond`, the queue's `partitionRateLimit`; 0 = none): a
 *   token bucket of one second. A business that empties it goes to the queue and stays there until
 *   it has started nothing for a second, so a flood is held to the queue's rate, not the queue's
 *   rate plus this lane's.
 *
 * Nothing here is a guarantee that needs the database: the run's id is its workflow id whichever
 * way it starts (exactly-once start), a direct start is recorded before it executes, and a process
 * that dies with directly started runs has them put on the run queue, in their business's partition,
 * by the survivor that takes it over (`executor-recovery.ts`).
 */

/** Limits of the local lane (from `AiosConfig.work`). */
export interface AdmissionLimits {
  /** Runs executing at the same time in this process, above which new runs queue. */
  maxExecuting: number;
  /** Runs of one business executing at the same time in this process, above which its new runs queue. */
  businessExecuting: number;
  /** Runs one business may start per second through this lane; 0 = no limit. */
  runsPerSecond: number;
}

/** One execution of a run, counted while it executes (see {@link RunAdmission.enter}). */
export interface ExecutionSlot {
  /** The run starts waiting (a reply, a decision, time): it stops counting. Idempotent. */
  pause(): void;
  /** The wait ended: it counts again. Idempotent. */
  resume(): void;
  /** The execution ended (finished, failed, parked or cut off). Idempotent. */
  release(): void;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
  /** Until this time (ms) the business queues: it emptied its bucket within the last second. */
  queuedUntil: number;
}

/** Counts this process's executing runs and decides where a new run starts. */
export class RunAdmission {
  private executing = 0;
  /** Admitted starts whose body has not begun, all businesses (the sum of {@link reserved}). */
  private reservedTotal = 0;
  /** Per business: executing runs plus admitted starts whose body has not begun. */
  private readonly perBusiness = new Map<string, number>();
  /** Per business: admitted starts whose body has not begun (taken over by `enter`). */
  private readonly reserved = new Map<string, number>();
  private readonly buckets = new Map<string, Bucket>();

  /** `now` in ms (injectable for tests). */
  constructor(readonly limits: AdmissionLimits, private readonly now: () => number = Date.now) {}

  /**
   * Whether a run of `tenantId` may start here now. True reserves room until {@link started} is
   * called (once, whatever the start did).
   */
  admit(tenantId: string): boolean {
    const { maxExecuting, businessExecuting } = this.limits;
    if (this.executing + this.reservedTotal >= maxExecuting) return false;
    if ((this.perBusiness.get(tenantId) ?? 0) >= businessExecuting) return false;
    if (!this.takeToken(tenantId)) return false;
    this.reservedTotal++;
    // Counted for its business at once, so a burst cannot pass the business limit before its
    // bodies start; the body's `enter` takes this count over instead of adding one.
    this.perBusiness.set(tenantId, (this.perBusiness.get(tenantId) ?? 0) + 1);
    this.reserved.set(tenantId, (this.reserved.get(tenantId) ?? 0) + 1);
    return true;
  }

  /** Ends the reservation of an admitted start (call after the start returned or threw). */
  started(tenantId: string): void {
    const r = this.reserved.get(tenantId) ?? 0;
    if (r > 0) {
      // The body did not take the reservation over (it had not begun, or the run existed already).
      this.reserved.set(tenantId, r - 1);
      this.reservedTotal--;
      this.dec(tenantId);
    }
  }

  /** An execution of a run of `tenantId` begins (every start path: direct, queue, recovery). */
  enter(tenantId: string): ExecutionSlot {
    const r = this.reserved.get(tenantId) ?? 0;
    if (r > 0) {
      this.reserved.set(tenantId, r - 1);
      this.reservedTotal--;
    } else this.perBusiness.set(tenantId, (this.perBusiness.get(tenantId) ?? 0) + 1);
    this.executing++;
    let counting = true;
    let done = false;
    const stop = (): void => {
      if (!counting) return;
      counting = false;
      this.executing--;
      this.dec(tenantId);
    };
    return {
      pause: stop,
      resume: () => {
        if (counting || done) return;
        counting = true;
        this.executing++;
        this.perBusiness.set(tenantId, (this.perBusiness.get(tenantId) ?? 0) + 1);
      },
      release: () => {
        done = true;
        stop();
      },
    };
  }

  /** Runs executing in this process now (for diagnostics and tests). */
  executingNow(): number {
    return this.executing;
  }

  private dec(tenantId: string): void {
    const n = (this.perBusiness.get(tenantId) ?? 0) - 1;
    if (n > 0) this.perBusiness.set(tenantId, n);
    else this.perBusiness.delete(tenantId);
  }

  private takeToken(tenantId: string): boolean {
    const rate = this.limits.runsPerSecond;
    if (rate <= 0) return true;
    const now = this.now();
    let b = this.buckets.get(tenantId);
    if (!b) {
      b = { tokens: rate, refilledAt: now, queuedUntil: 0 };
      this.buckets.set(tenantId, b);
    }
    b.tokens = Math.min(rate, b.tokens + ((now - b.refilledAt) / 1000) * rate);
    b.refilledAt = now;
    if (now < b.queuedUntil || b.tokens < 1) {
      b.queuedUntil = now + 1000;
      return false;
    }
    b.tokens -= 1;
    return true;
  }
}
