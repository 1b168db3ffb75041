import { DBOS } from '@dbos-inc/dbos-sdk';
import { isRetryable } from '../../core/errors.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { EngineDeps } from './engine-deps.js';
import { setRunStatus } from './run-view.js';
import type { Db } from '../../store/db.js';
import type { Signal } from '../../store/schema.js';
import { newId } from '../../core/ids.js';
import { PARK_STEP, parkRun, parkThreshold, RunParked, sendToRun, waitParking, type WaitParking } from './run-parking.js';
import type { ExecutionSlot } from './run-admission.js';

/** What a run needs to start other runs: the host's planning and starting (see `PlaybookHost`). */
export interface RunStarter {
  planRuns(tx: Db, signal: Signal): Promise<Array<{ runId: string }>>;
  startPlanned(plans: Array<{ runId: string }>): Promise<void>;
}

/** A signal raised by a run (e.g. `appointment_requested`, `job_done`), starting the playbooks it triggers. */
export interface RaisedSignal {
  kind: string;
  /** Who or what it is about: a phone number, an email, a booking id. */
  subject: string;
  /** Unique per tenant: raising the same key twice raises one signal (and starts its runs once). */
  dedupKey: string;
  severity?: 'low' | 'normal' | 'high';
  data: Record<string, unknown>;
}

/** Retry policy of a step: attempts and exponential backoff; only retryable errors are retried. */
export interface StepOptions {
  /** Total attempts including the first (default 1 = no retry). */
  attempts?: number;
  /** Seconds before the first retry (default 1); doubles each time. */
  backoffSeconds?: number;
  /** Maximum duration of one attempt, in milliseconds. */
  timeoutMs?: number;
}

/** An inbound reply delivered to a waiting run. */
export interface InboundReply {
  messageId: string;
  from: string;
  body: string;
  receivedAt: string;
}

/**
 * What a playbook body uses. Every method takes a stable step id: a finished step is never re-run
 * after a crash (its recorded result is returned), and a replay that meets a different step id at
 * the same position fails loudly (DBOS `DBOSUnexpectedStepError`) instead of guessing.
 */
export class RunContext<S = unknown> {
  constructor(
    readonly deps: EngineDeps,
    readonly runId: string,
    readonly tenant: TenantInfo,
    readonly settings: S,
    private readonly starter?: RunStarter,
    /** This execution's count in the local lane (`run-admission.ts`): paused while the run waits. */
    private readonly slot?: ExecutionSlot,
    /** When and how this run's waits park: the threshold it started with (default: this process's). */
    private readonly parking: WaitParking = waitParking(deps, parkThreshold(deps)),
  ) {}

  /**
   * Raises a signal from inside the run and starts the playbooks it triggers, exactly once: the
   * signal row and the new runs' rows are written in one checkpointed step (deduplicated by
   * `dedupKey`), then the runs are started as DBOS children of this run (idempotent by run id).
   * @returns the signal id and the ids of the runs it started.
   */
  async raise(id: string, sig: RaisedSignal): Promise<{ signalId: string; runIds: string[] }> {
    const starter = this.starter;
    if (!starter) throw new Error(`run ${this.runId}: raise() needs the playbook host`);
    const tenantId = this.tenant.id;
    const planned = await this.step(id, () =>
      this.deps.db.transaction().execute(async (tx) => {
        const inserted = await tx
          .insertInto('signals')
          .values({ id: newId('sig'), tenant_id: tenantId, kind: sig.kind, subject: sig.subject, severity: sig.severity ?? 'normal', dedup_key: sig.dedupKey, data: JSON.stringify(sig.data) })
          .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
          .returningAll()
          .executeTakeFirst();
        const signal = inserted ?? (await tx.selectFrom('signals').selectAll().where('tenant_id', '=', tenantId).where('dedup_key', '=', sig.dedupKey).executeTakeFirstOrThrow());
        const plans = inserted ? await starter.planRuns(tx, signal) : [];
        return { signalId: signal.id, plans };
      }),
    );
    await starter.startPlanned(planned.plans);
    return { signalId: planned.signalId, runIds: planned.plans.map((p) => p.runId) };
  }

  /** Runs `fn` once as a checkpointed step. Its result must be JSON-serialisable. */
  async step<T>(id: string, fn: () => Promise<T>, opts: StepOptions = {}): Promise<T> {
    const attempts = opts.attempts ?? 1;
    return DBOS.runStep(fn, {
        name: id,
        retriesAllowed: attempts > 1,
        maxAttempts: attempts,
        intervalSeconds: opts.backoffSeconds ?? 1,
        backoffRate: 2,
        shouldRetry: (err) => isRetryable(err),
        ...(opts.timeoutMs ? { timeoutMS: opts.timeoutMs } : {}),
      });
  }

  /** The current time, recorded once per call site (deterministic on replay). */
  async now(id: string): Promise<Date> {
    const iso = await this.step(id, async () => this.deps.clock.now().toISOString());
    return new Date(iso);
  }

  /**
   * Sleeps durably until the business clock (`deps.clock`) reaches `until` (the end of quiet
   * hours); survives restarts. Parked, it wakes when that clock gets there (see `waitUntil`).
   */
  async sleepUntil(id: string, until: Date, why: string): Promise<void> {
    const ms = until.getTime() - this.deps.clock.now().getTime();
    if (ms > 0) await this.durableWait(null, ms, why, until);
    await setRunStatus(this.deps.db, this.runId, 'running');
  }

  /** Sleeps durably for `ms` milliseconds of real time (a retry's backoff), whatever the business clock does; survives restarts. */
  async sleepFor(id: string, ms: number, why: string): Promise<void> {
    if (ms > 0) await this.durableWait(null, ms, why);
    await setRunStatus(this.deps.db, this.runId, 'running');
  }

  /**
   * Waits durably for a message on `topic` (sent with `DBOS.send` to this run) for at most
   * `timeoutMs` milliseconds. Returns null on timeout; never throws for a timeout.
   */
  async waitFor<T>(topic: string, timeoutMs: number, why: string): Promise<T | null> {
    const msg = await this.durableWait<T>(topic, timeoutMs, why);
    await setRunStatus(this.deps.db, this.runId, 'running');
    return msg;
  }

  /**
   * One durable wait: for a message on `topic` (or a plain sleep when null) of at most `timeoutMs`,
   * the run shown as `waiting` for `why` meanwhile.
   * While the run parks (`parking.afterMs` > 0), every wait first records its deadline in a step
   * ({@link PARK_STEP}): a wait computed from the clock (the time left to an approval's deadline, to
   * the end of quiet hours) is shorter on a replay, and the recorded deadline keeps the replay on
   * the steps the first execution took. A wait with at least `parking.afterMs` left parks the run
   * (`run-parking.ts`): the execution ends with {@link RunParked}, and the replay after a wake-up
   * comes back here, finds the same deadline, and receives the message (or finds the time up). A
   * shorter one stays in this process (`DBOS.recv` / `DBOS.sleep`).
   * `moment`: the wait ends at this moment of the business clock (`waitUntil`, `sleepUntil`), and it parks (with
   * that deadline, read by the waker on the business clock) whenever at least `parking.afterMs` of
   * business time is left; `timeoutMs` then only bounds a wait held in this process.
   */
  private async durableWait<T>(topic: string | null, timeoutMs: number, why: string, moment?: Date): Promise<T | null> {
    const parkAfter = this.parking.afterMs;
    let left = timeoutMs;
    if (parkAfter > 0 && (this.parking.stepEveryWait || timeoutMs >= parkAfter)) {
      // A run started before waits parked on the business clock keeps its recorded system-clock deadlines.
      const onClock = moment !== undefined && this.parking.stepEveryWait;
      const park: RecordedPark = await DBOS.runStep(async () => onClock
        ? { until: moment.getTime(), step: DBOS.stepID ?? -1, clock: 'business' as const }
        : { until: Date.now() + timeoutMs, step: DBOS.stepID ?? -1 }, { name: PARK_STEP });
      const business = park.clock === 'business';
      const toDeadline = park.until - (business ? this.deps.clock.now().getTime() : Date.now());
      left = business ? Math.min(toDeadline, timeoutMs) : toDeadline;
      // The park marks the run waiting in its own transaction.
      if (toDeadline >= parkAfter && (await parkRun(this.deps.db, this.runId, { until: new Date(park.until), topic, parkStep: park.step, waitingFor: why, onBusinessClock: business }))) throw new RunParked(this.runId);
    }
    await setRunStatus(this.deps.db, this.runId, 'waiting', { waitingFor: why });
    this.slot?.pause();
    try {
      if (topic !== null) return await DBOS.recv<T>(topic, { timeoutSeconds: Math.max(0.001, left / 1000) });
      if (left > 0) await DBOS.sleep(left);
      return null;
    } finally {
      this.slot?.resume();
    }
  }

  /**
   * Waits until the business clock (`deps.clock`) reaches `until`, or until a message arrives on
   * `topic` (when given), whichever comes first. While runs park, a wait with a minute or more of
   * business time left (`parking.afterMs`) parks until that moment: the waker reads the business
   * clock, so the run is replayed once when the moment comes (or the message does), not every
   * hour of a two-week wait, and an injected clock that jumps days ahead wakes it within a second.
   * A wait held in this process (parking off, or less left than the threshold) wakes every
   * `deps.wakeEveryMs` (default 1 h) to read the clock again. Each read of the clock is a
   * checkpointed step (`<id>.now.<n>`): replay is deterministic.
   * @returns the message, or null when `until` came first.
   */
  async waitUntil<T>(id: string, until: Date, why: string, topic?: string): Promise<T | null> {
    const wake = this.deps.wakeEveryMs ?? 3_600_000;
    for (let n = 0; ; n++) {
      const now = await this.now(`${id}.now.${n}`);
      const left = until.getTime() - now.getTime();
      if (left <= 0) {
        if (n > 0 && !topic) await setRunStatus(this.deps.db, this.runId, 'running');
        return null;
      }
      const msg = await this.durableWait<T>(topic ?? null, Math.min(left, wake), why, until);
      if (topic) {
        await setRunStatus(this.deps.db, this.runId, 'running');
        if (msg !== null) return msg;
      }
    }
  }

  /**
   * Sends `msg` on `topic` to another run (e.g. a booking's appointment run), once per
   * `idempotencyKey`. Playbook bodies use this instead of `DBOS.send`, so a shadow run can record
   * the message instead of delivering it.
   */
  async send(runId: string, topic: string, msg: unknown, idempotencyKey: string): Promise<void> {
    await sendToRun(this.deps.db, runId, msg, topic, idempotencyKey);
  }

  /**
   * Waits for the next inbound SMS from `from` for at most `timeoutMs` milliseconds (e.g. 48 h).
   * The run shows as waiting for "reply from <from>"; replies that arrive before the wait starts
   * are queued for it by DBOS. Returns null on timeout.
   */
  async waitForReply(from: string, timeoutMs: number): Promise<InboundReply | null> {
    return this.waitFor<InboundReply>(replyTopic(from), timeoutMs, `${REPLY_WAIT_PREFIX}${from}`);
  }
}

/** What a wait's deadline step ({@link PARK_STEP}) records: the deadline in epoch ms, on the business clock when `clock` says so. */
interface RecordedPark {
  until: number;
  step: number;
  clock?: 'business';
}

/** `runs.waiting_for` of a run waiting for a reply: this prefix and the address. */
export const REPLY_WAIT_PREFIX = 'reply from ';

/** The DBOS message topic carrying replies from one address. */
export function replyTopic(from: string): string {
  return `reply:${from}`;
}

/** The DBOS message topic carrying the owner's decision on one approval. */
export function approvalTopic(approvalId: string): string {
  return `approval:${approvalId}`;
}
