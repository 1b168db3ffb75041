import { RunContext, type RaisedSignal, type StepOptions } from '../engine/run-context.js';
import type { EngineDeps } from '../engine/engine-deps.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { Clock } from '../../core/clock.js';
import type { ApprovalDecision } from '../approvals/approvals.js';
import type { SavepointDb } from './savepoint-db.js';

/**
 * The business clock of a shadow run: it starts at the triggering signal's time and only jumps
 * forward, when the run would have waited (a sleep, a reply that never comes, a reminder date).
 */
export class VirtualClock implements Clock {
  private t: number;
  constructor(start: Date) {
    this.t = start.getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  /** Moves forward by `ms` milliseconds (never back). */
  advance(ms: number): void {
    if (ms > 0) this.t += ms;
  }
  /** Moves forward to `at` when it is later than now. */
  advanceTo(at: Date): void {
    this.t = Math.max(this.t, at.getTime());
  }
}

/** What a shadow run did instead of waiting, messaging other runs, or starting them. */
export interface ShadowRunEvents {
  /** Approvals the run would have asked the owner for (treated as approved so the run goes on). */
  approvals: Array<{ runId: string; approvalId: string; at: string }>;
  /** Waits, with how far the virtual clock jumped. */
  waits: Array<{ runId: string; why: string; from: string; to: string }>;
  /** Messages to other runs (`ctx.send`), never delivered. */
  messages: Array<{ runId: string; toRun: string; topic: string; message: unknown }>;
  /** Signals raised (`ctx.raise`) and the shadow runs they started. */
  raised: Array<{ runId: string; kind: string; subject: string; data: Record<string, unknown>; runIds: string[] }>;
}

/** Starts the shadow runs of a signal raised inside a shadow run (see `runShadow`). */
export type ShadowStarter = (signalId: string, parentRunId: string, depth: number, at: Date) => Promise<string[]>;

/**
 * The `RunContext` of a shadow run: same interface, no DBOS. A step runs its function at once
 * inside a savepoint (a failing step leaves nothing behind and the rest of the window goes on);
 * `now` reads the virtual clock; waits jump the clock and return "nothing arrived"; an approval
 * is recorded and answered "approved" (decidedBy `shadow`) so the run shows what it would do
 * once approved; `raise` stores the signal (with a `shadow:` dedup key, inside the rolled-back
 * transaction) and starts the triggered playbooks in shadow, up to a depth limit; `send` records.
 */
export class ShadowRunContext<S = unknown> extends RunContext<S> {
  constructor(
    deps: EngineDeps & { clock: VirtualClock },
    runId: string,
    tenant: TenantInfo,
    settings: S,
    private readonly sp: SavepointDb,
    private readonly events: ShadowRunEvents,
    private readonly depth: number,
    private readonly startRaised: ShadowStarter,
  ) {
    super(deps, runId, tenant, settings);
  }

  private get vclock(): VirtualClock {
    return this.deps.clock as VirtualClock;
  }

  override async step<T>(_id: string, fn: () => Promise<T>, _opts: StepOptions = {}): Promise<T> {
    // As a live step's first execution: the function's own result (DBOS's SuperJSON checkpoints keep Dates on replay too).
    return this.sp.savepoint(fn);
  }

  override async now(_id: string): Promise<Date> {
    return this.vclock.now();
  }

  override async sleepUntil(_id: string, until: Date, why: string): Promise<void> {
    this.jump(why, () => this.vclock.advanceTo(until));
  }

  override async sleepFor(_id: string, ms: number, why: string): Promise<void> {
    this.jump(why, () => this.vclock.advance(ms));
  }

  override async waitFor<T>(topic: string, timeoutMs: number, why: string): Promise<T | null> {
    if (topic.startsWith('approval:')) {
      const approvalId = topic.slice('approval:'.length);
      this.events.approvals.push({ runId: this.runId, approvalId, at: this.vclock.now().toISOString() });
      const d: ApprovalDecision = { approvalId, decision: 'approved', edits: null, reason: null, decidedBy: 'shadow' };
      return d as T;
    }
    this.jump(why, () => this.vclock.advance(timeoutMs));
    return null;
  }

  override async waitUntil<T>(_id: string, until: Date, why: string): Promise<T | null> {
    this.jump(why, () => this.vclock.advanceTo(until));
    return null;
  }

  override async send(runId: string, topic: string, msg: unknown): Promise<void> {
    this.events.messages.push({ runId: this.runId, toRun: runId, topic, message: msg });
  }

  override async raise(id: string, sig: RaisedSignal): Promise<{ signalId: string; runIds: string[] }> {
    const { db } = this.deps;
    const signalId = await this.step(id, async () => {
      const row = await db
        .insertInto('signals')
        .values({ id: `sig_shadow_${this.runId.replace(/[^A-Za-z0-9]/g, '')}_${id}`.slice(0, 120), tenant_id: this.tenant.id, kind: sig.kind, subject: sig.subject, severity: sig.severity ?? 'normal', dedup_key: `shadow:${this.runId}:${sig.dedupKey}`, data: JSON.stringify(sig.data), created_at: this.vclock.now() })
        .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return row?.id ?? null;
    });
    const runIds = signalId ? await this.startRaised(signalId, this.runId, this.depth + 1, this.vclock.now()) : [];
    this.events.raised.push({ runId: this.runId, kind: sig.kind, subject: sig.subject, data: sig.data, runIds });
    return { signalId: signalId ?? '', runIds };
  }

  private jump(why: string, move: () => void): void {
    const from = this.vclock.now().toISOString();
    move();
    this.events.waits.push({ runId: this.runId, why, from, to: this.vclock.now().toISOString() });
  }
}
