import { DBOS } from '@dbos-inc/dbos-sdk';
import { sql, type Insertable } from 'kysely';
import type { Database, Signal } from '../../store/schema.js';
import type { Db } from '../../store/db.js';
import type { EngineDeps } from './engine-deps.js';
import type { Playbook, TriggerInput } from './define-playbook.js';
import { workflowName } from './define-playbook.js';
import { RunContext, approvalTopic, replyTopic, REPLY_WAIT_PREFIX, type InboundReply } from './run-context.js';
import { setRunStatus } from './run-view.js';
import { runStartParams } from './run-queue.js';
import type { RunAdmission } from './run-admission.js';
import { parkThreshold, RunParked, sendToRun, waitParking } from './run-parking.js';
import { newId } from '../../core/ids.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { pendingDeliveries, markDelivered, type ApprovalDecision } from '../approvals/approvals.js';

interface WorkflowArgs {
  tenantId: string;
  runId: string;
  input: TriggerInput;
  /** The park threshold this run started with, in ms (absent in runs started before it was recorded). */
  parkAfterMs?: number;
}

type Workflow = (args: WorkflowArgs) => Promise<unknown>;

/**
 * Owns the playbooks of a process: registers each version as a DBOS workflow (before launch),
 * starts exactly one run per triggering signal, and delivers owner decisions and customer replies
 * to waiting runs.
 */
export class PlaybookHost {
  private readonly workflows = new Map<string, { pb: Playbook; wf: Workflow }>();
  /** Set by {@link beginShutdown}: runs interrupted from here on are not failures. */
  private stopping = false;

  /**
   * @param deps what runs get (also what a shadow run copies, see `runShadow`).
   * @param admission the local lane of a process that executes runs (`run-admission.ts`): runs it
   *   admits start here directly instead of on the queue. Null (a web process, or
   *   `AIOS_LOCAL_RUNS=0`): every run is queued.
   */
  constructor(readonly deps: EngineDeps, private readonly admission: RunAdmission | null = null) {}

  /** Registers a playbook version. Must be called before `DBOS.launch()`. */
  register(pb: Playbook): void {
    const name = workflowName(pb);
    if (this.workflows.has(name)) throw new Error(`playbook ${name} registered twice`);
    const deps = this.deps;
    const body = async (args: WorkflowArgs): Promise<unknown> => {
      const tenant = deps.tenant(args.tenantId);
      const settings = tenant.playbookSettings[pb.id] ?? pb.settings.parse({});
      const slot = this.admission?.enter(args.tenantId);
      const ctx = new RunContext(deps, args.runId, tenant, settings, this, slot, waitParking(deps, args.parkAfterMs));
      try {
        const out = await pb.run(ctx, args.input);
        // The signal and the run change together: nobody sees a finished run with a stale signal.
        await DBOS.runStep(
          () =>
            deps.db.transaction().execute(async (tx) => {
              if (out.resolved && args.input.type === 'signal') {
                await tx.updateTable('signals').set({ status: 'resolved', resolved_at: sql`now()`, updated_at: sql`now()` }).where('id', '=', args.input.id).where('status', 'in', ['open', 'handling']).execute();
              } else if (args.input.type === 'signal') {
                await tx.updateTable('signals').set({ status: 'open', updated_at: sql`now()` }).where('id', '=', args.input.id).where('status', '=', 'handling').execute();
              }
              await setRunStatus(tx, args.runId, 'completed', { summary: out.summary });
              return out.summary;
            }),
          { name: 'run.finish' },
        );
        return out;
      } catch (err) {
        // A parked run is waiting, not failed: it continues where it is woken (run-parking.ts).
        if (err instanceof RunParked) throw err;
        // A run cut off by this process shutting down (its wait or step loses the database) is not
        // failed: DBOS resumes it at the next start, and its row must keep saying what it waits for.
        if (!this.stopping) await setRunStatus(deps.db, args.runId, 'failed', { error: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        slot?.release();
      }
    };
    const wf = DBOS.registerWorkflow(body, { name }) as Workflow;
    this.workflows.set(name, { pb, wf });
  }

  /** Called before DBOS shuts down: from now on an interrupted run keeps its status (it resumes at the next start). */
  beginShutdown(): void {
    this.stopping = true;
  }

  /** Registered playbooks (all versions). */
  playbooks(): Playbook[] {
    return [...this.workflows.values()].map((w) => w.pb);
  }

  /** The newest registered version of each playbook whose trigger is this signal kind. */
  private latestFor(kind: string): Array<{ pb: Playbook; wf: Workflow }> {
    const best = new Map<string, { pb: Playbook; wf: Workflow }>();
    for (const w of this.workflows.values()) {
      if (!('signal' in w.pb.trigger) || w.pb.trigger.signal !== kind) continue;
      const cur = best.get(w.pb.id);
      if (!cur || cur.pb.version < w.pb.version) best.set(w.pb.id, w);
    }
    return [...best.values()];
  }

  /**
   * Records the run(s) a signal triggers, inside the caller's transaction (the one that stored the
   * event and the signal): a `runs` row per playbook, with an id derived from playbook and signal,
   * and the signal marked as handled by it. Start them with `startPlanned` after the commit.
   */
  async planRuns(tx: Db, signal: Signal): Promise<PlannedRun[]> {
    const tenant = this.deps.tenant(signal.tenant_id);
    const plans: PlannedRun[] = [];
    const rows: Array<Insertable<Database['runs']>> = [];
    for (const { pb } of this.latestFor(signal.kind)) {
      const settings = tenant.playbookSettings[pb.id] as { enabled?: boolean } | undefined;
      if (settings?.enabled === false) continue;
      const runId = `${pb.id}@${pb.version}:${signal.id}`;
      plans.push({ runId, workflow: workflowName(pb), tenantId: signal.tenant_id, input: signalInput(signal) });
      rows.push({ id: runId, tenant_id: signal.tenant_id, playbook: pb.id, version: pb.version, status: 'running', trigger_type: 'signal', trigger_ref: signal.id });
    }
    const handled = { dispatched_at: sql<Date>`now()`, ...(plans[0] ? { run_id: plans[0].runId, status: 'handling' as const } : {}) };
    if (rows.length === 0) {
      await tx.updateTable('signals').set(handled).where('id', '=', signal.id).execute();
    } else {
      // One statement: the runs rows (a data-modifying CTE always runs to completion) and the signal.
      await tx
        .with('planned', (db) => db.insertInto('runs').values(rows).onConflict((oc) => oc.column('id').doNothing()).returning('id'))
        .updateTable('signals').set(handled).where('id', '=', signal.id)
        .execute();
    }
    return plans;
  }

  /**
   * Starts planned runs. A run the local lane admits (`run-admission.ts`) starts in this process
   * at once; the others are enqueued on the run queue in their business's partition, and whichever
   * worker polls first executes them. Idempotent either way: the run id is the workflow id, and
   * DBOS returns the existing run for a known id.
   */
  async startPlanned(plans: PlannedRun[]): Promise<void> {
    for (const p of plans) {
      const w = this.workflows.get(p.workflow);
      if (!w) throw new Error(`run ${p.runId}: playbook ${p.workflow} is not registered in this build`);
      const args: WorkflowArgs = { tenantId: p.tenantId, runId: p.runId, input: p.input, parkAfterMs: parkThreshold(this.deps) };
      if (this.admission?.admit(p.tenantId)) {
        try {
          await DBOS.startWorkflow(w.wf, { workflowID: p.runId })(args);
        } finally {
          this.admission.started(p.tenantId);
        }
      } else {
        await DBOS.startWorkflow(w.wf, runStartParams(p.runId, p.tenantId))(args);
      }
    }
  }

  /** Plans and starts the runs of a signal in one go (for signals raised outside a webhook). */
  async dispatchSignal(signal: Signal): Promise<string[]> {
    const plans = await this.deps.db.transaction().execute((tx) => this.planRuns(tx, signal));
    await this.startPlanned(plans);
    return plans.map((p) => p.runId);
  }

  /** Dispatches signals stored without being planned (raised outside a webhook, then a crash). */
  async dispatchPending(): Promise<number> {
    const rows = await this.deps.db.selectFrom('signals').selectAll().where('dispatched_at', 'is', null).orderBy('created_at').limit(1000).execute();
    for (const s of rows) await this.dispatchSignal(s);
    return rows.length;
  }

  /**
   * Repairs a crash between a webhook's commit and its run's start: runs recorded as `running`
   * that DBOS has never heard of are started now (from their signal).
   */
  async startOrphans(): Promise<number> {
    const rows = await this.deps.db
      .selectFrom('runs')
      .innerJoin('signals', 'signals.id', 'runs.trigger_ref')
      .selectAll('signals')
      .select(['runs.id as run_id_', 'runs.playbook', 'runs.version'])
      .where('runs.status', '=', 'running')
      .where('runs.trigger_type', '=', 'signal')
      .execute();
    let started = 0;
    for (const r of rows) {
      if (await DBOS.getWorkflowStatus(r.run_id_)) continue;
      await this.startPlanned([{ runId: r.run_id_, workflow: workflowName({ id: r.playbook, version: r.version }), tenantId: r.tenant_id, input: signalInput(r) }]);
      started++;
    }
    return started;
  }

  /**
   * Starts one playbook now ("run now"): a signal of its trigger kind is stored (dedup key
   * `manual:<playbook>:<nonce>`, data and subject as given) and only this playbook's newest version
   * is started on it, whether enabled or not (the owner asked for it).
   * @returns the signal id and the run id.
   */
  async runNow(tenantId: string, playbookId: string, input: { subject: string; data: Record<string, unknown>; nonce: string }): Promise<{ signalId: string; runId: string }> {
    const w = [...this.workflows.values()].filter((x) => x.pb.id === playbookId).sort((a, b) => b.pb.version - a.pb.version)[0];
    if (!w) throw new NotFoundError('playbook', playbookId);
    if (!('signal' in w.pb.trigger)) throw new ConflictError(`${playbookId} starts on connector events, not on demand`, 'Only signal-triggered playbooks can be run now.');
    const kind = w.pb.trigger.signal;
    const plan = await this.deps.db.transaction().execute(async (tx) => {
      const signal = await tx
        .insertInto('signals')
        .values({ id: newId('sig'), tenant_id: tenantId, kind, subject: input.subject, dedup_key: `manual:${playbookId}:${input.nonce}`, data: JSON.stringify(input.data), dispatched_at: sql`now()`, status: 'handling' })
        .returningAll()
        .executeTakeFirstOrThrow();
      const runId = `${w.pb.id}@${w.pb.version}:${signal.id}`;
      await tx.insertInto('runs').values({ id: runId, tenant_id: tenantId, playbook: w.pb.id, version: w.pb.version, status: 'running', trigger_type: 'signal', trigger_ref: signal.id }).execute();
      await tx.updateTable('signals').set({ run_id: runId }).where('id', '=', signal.id).execute();
      return { runId, workflow: workflowName(w.pb), tenantId, input: signalInput(signal) };
    });
    await this.startPlanned([plan]);
    return { signalId: plan.input.id, runId: plan.runId };
  }

  /** Hands the owner's decision to the waiting run (idempotent per approval). */
  async deliverDecision(runId: string, d: ApprovalDecision): Promise<void> {
    await sendToRun(this.deps.db, runId, d, approvalTopic(d.approvalId), `approval-decision:${d.approvalId}`);
    await markDelivered(this.deps.db, d.approvalId);
  }

  /** Re-delivers decisions recorded before a crash but never handed to their runs. */
  async redeliverDecisions(): Promise<number> {
    const list = await pendingDeliveries(this.deps.db);
    for (const { runId, delivery } of list) await this.deliverDecision(runId, delivery);
    return list.length;
  }

  /**
   * Hands an inbound reply to every live run that waits for, or has texted, this address. Replies
   * that arrive before a run starts waiting are queued for it by DBOS. A run that texted the
   * address but now waits for something else (an appointment run waiting for its reminder time)
   * is not handed it: 0 lets intake route the message (`inbound-message`), which gives cancel /
   * reschedule to that run on its booking topic.
   */
  async deliverReply(tenantId: string, reply: InboundReply): Promise<number> {
    const { db } = this.deps;
    const rows = await sql<{ run_id: string }>`
      select id as run_id from runs where tenant_id = ${tenantId} and status = 'waiting' and waiting_for = ${REPLY_WAIT_PREFIX + reply.from}
      union
      select o.run_id from outbox o join runs r on r.id = o.run_id
        where o.tenant_id = ${tenantId} and o.recipient = ${reply.from} and o.kind = 'sms.send' and r.status = 'running'
    `.execute(db);
    for (const r of rows.rows) await sendToRun(this.deps.db, r.run_id, reply, replyTopic(reply.from), `reply:${r.run_id}:${reply.messageId}`);
    return rows.rows.length;
  }
}

/** A run recorded in `runs` and ready to start. */
export interface PlannedRun {
  runId: string;
  workflow: string;
  tenantId: string;
  input: TriggerInput;
}

function signalInput(signal: Signal): TriggerInput {
  return { type: 'signal', id: signal.id, kind: signal.kind, subject: signal.subject, data: signal.data, occurredAt: signal.created_at.toISOString() };
}
