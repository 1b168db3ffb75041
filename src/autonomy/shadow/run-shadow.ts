import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { Signal } from '../../store/schema.js';
import type { EngineDeps } from '../engine/engine-deps.js';
import type { Playbook, TriggerInput } from '../engine/define-playbook.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { randomBytes } from 'node:crypto';
import { shadowChannelSet, type ShadowChannelCall } from '../../connection/channels/shadow-channels.js';
import { SavepointDb } from './savepoint-db.js';
import { ShadowRunContext, VirtualClock, type ShadowRunEvents } from './shadow-context.js';
import type { ShadowEffect, ShadowRecordChange, ShadowReport, ShadowRunReport } from './shadow-report.js';

/** What to replay. */
export interface ShadowRequest {
  tenantId: string;
  playbookId: string;
  /** Start of the window (signals created at or after it). */
  since: Date;
  /** End of the window (default: now by `deps.clock`). */
  until?: Date;
  /** At most this many past signals are replayed, oldest first (default 200). */
  limit?: number;
  /** Settings to try instead of the tenant's (merged over them, validated by the playbook's schema). */
  settings?: Record<string, unknown>;
}

/** Runs started by signals that shadow runs raise stop at this depth (a raise chain never loops). */
export const SHADOW_MAX_DEPTH = 2;

/** Records AIOS may change on a playbook's behalf, compared before/after each shadow run (inside its transaction). */
const WATCHED_TABLES = ['deals', 'bookings', 'contacts'] as const;

class Rollback extends Error {}

/**
 * Replays a playbook over the past signals of its trigger kind with no external effect, and
 * reports what it would have done. How "no effect" is enforced:
 * - every database write of a replayed signal's run (and of the runs it raises) happens in ONE
 *   transaction that is rolled back at its end (nested transactions of playbook code become
 *   savepoints, see `SavepointDb`); the report is read from the rows the run wrote (outbox,
 *   approvals, ledger, deals, …) before the rollback. Runs do not see each other's writes (a
 *   daily limit counts live history only): the price of holding locks for one run at a time;
 * - the runs are `runs.mode = 'shadow'`, and `deliverOutbox` never hands a shadow run's row to a
 *   channel (with any channels but the shadow set it refuses outright);
 * - the runs get the shadow channel set, which refuses every direct call;
 * - no DBOS: `ShadowRunContext` runs steps in-process on a virtual clock.
 * A playbook disabled for the tenant can still be shadowed (that is how it is tried first).
 * Watcher-driven kinds only have past signals for the time the watcher ran; with none in the
 * window the report says so (`notes`) instead of inventing events.
 * @throws NotFoundError for an unknown playbook; InputError for settings its schema refuses.
 */
export async function runShadow(deps: EngineDeps, playbooks: Playbook[], req: ShadowRequest): Promise<ShadowReport> {
  const pb = newest(playbooks, req.playbookId);
  if (!pb) throw new NotFoundError('playbook', req.playbookId);
  const tenant = deps.tenant(req.tenantId);
  const until = req.until ?? deps.clock.now();
  const limit = req.limit ?? 200;
  const settings = shadowSettings(pb, tenant.playbookSettings[pb.id], req.settings);
  const report: ShadowReport = {
    playbook: { id: pb.id, version: pb.version, title: pb.title }, tenantId: tenant.id, timeZone: tenant.timeZone, since: req.since.toISOString(), until: until.toISOString(),
    trigger: { ...pb.trigger }, signalsFound: 0, runs: [], wouldSend: [], wouldAskOwner: [], wouldRaise: [], wouldMessage: [], wouldChange: [],
    ledger: [], minutesSaved: 0, minutesIfEveryRunCounts: 0, refusedChannelCalls: [], notes: [],
  };
  if (!('signal' in pb.trigger)) {
    report.notes.push(`${pb.id} starts on connector events (${pb.trigger.event}), not signals: shadow replays signals only`);
    return report;
  }
  const kind = pb.trigger.signal;
  const inWindow = deps.db.selectFrom('signals').where('tenant_id', '=', tenant.id).where('kind', '=', kind)
    .where('created_at', '>=', req.since).where('created_at', '<', until);
  const past = await inWindow.selectAll().orderBy('created_at').limit(limit).execute();
  report.signalsFound = Number((await inWindow.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  if (past.length === 0) report.notes.push(`no ${kind} signals between ${report.since} and ${report.until}: the watcher raising them did not fire in that window (or it was not running), so there is nothing to replay`);
  if (report.signalsFound > limit) report.notes.push(`more than ${limit} ${kind} signals in the window: the oldest ${limit} were replayed`);

  const events: ShadowRunEvents = { approvals: [], waits: [], messages: [], raised: [] };
  const calls: ShadowChannelCall[] = [];
  const nonce = randomBytes(4).toString('hex');
  const channels = shadowChannelSet(calls);

  const startRun = async (sp: SavepointDb, p: Playbook, sig: Signal, depth: number, parentRunId: string | null, at: Date, runSettings: unknown): Promise<string> => {
    const runId = `shadow:${nonce}:${p.id}@${p.version}:${sig.id}`;
    const clock = new VirtualClock(at);
    await sp.db.insertInto('runs').values({ id: runId, tenant_id: tenant.id, playbook: p.id, version: p.version, status: 'running', mode: 'shadow', trigger_type: 'signal', trigger_ref: sig.id }).execute();
    const raised = (signalId: string, parent: string, d: number, when: Date) => startRaised(sp, signalId, parent, d, when);
    const ctx = new ShadowRunContext({ ...deps, db: sp.db, clock, channels }, runId, tenant, runSettings, sp, events, depth, raised);
    const run: ShadowRunReport = { runId, playbook: p.id, version: p.version, signalId: sig.id, subject: sig.subject, occurredAt: at.toISOString(), depth, parentRunId, status: 'completed', summary: null, error: null };
    report.runs.push(run);
    try {
      await sp.savepoint(async () => {
        let failure: unknown = null;
        try {
          const out = await p.run(ctx, signalInput(sig));
          run.summary = out.summary;
        } catch (err) {
          failure = err;
        }
        // Read what the run wrote before anything is undone (a failed run keeps what it got to).
        await collectRun(sp.db, runId, report);
        if (failure) throw failure;
      });
    } catch (err) {
      run.status = 'failed';
      run.error = err instanceof Error ? err.message : String(err);
    }
    return runId;
  };

  // A signal raised inside a shadow run starts the newest enabled playbooks of its kind, in shadow (same transaction).
  const startRaised = async (sp: SavepointDb, signalId: string, parentRunId: string, depth: number, at: Date): Promise<string[]> => {
    const sig = await sp.db.selectFrom('signals').selectAll().where('id', '=', signalId).executeTakeFirstOrThrow();
    if (depth > SHADOW_MAX_DEPTH) {
      report.notes.push(`${parentRunId} raised ${sig.kind}: not followed (shadow stops at depth ${SHADOW_MAX_DEPTH})`);
      return [];
    }
    const ids: string[] = [];
    for (const p of newestFor(playbooks, sig.kind)) {
      const s = tenant.playbookSettings[p.id] as { enabled?: boolean } | undefined;
      if (s?.enabled === false) continue;
      ids.push(await startRun(sp, p, sig, depth, parentRunId, at, s ?? p.settings.parse({})));
    }
    return ids;
  };

  // One transaction per replayed signal (with the runs it starts), always rolled back: locks it
  // takes (rows, the booking advisory lock) are held for one run, not for the whole window.
  for (const sig of past) {
    try {
      await deps.db.transaction().execute(async (tx) => {
        await sql`set local lock_timeout = '5s'`.execute(tx);
        const sp = new SavepointDb(tx);
        const before = await snapshot(tx, tenant.id);
        await startRun(sp, pb, sig, 0, null, sig.created_at, settings);
        report.wouldChange.push(...diff(before, await snapshot(tx, tenant.id)));
        throw new Rollback('shadow run done');
      });
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
    }
  }

  report.wouldRaise = events.raised.map((r) => ({ runId: r.runId, kind: r.kind, subject: r.subject, runIds: r.runIds }));
  report.wouldMessage = events.messages.map((m) => ({ runId: m.runId, toRun: m.toRun, topic: m.topic }));
  report.refusedChannelCalls = calls.map((c) => ({ channel: c.channel, to: c.to }));
  report.minutesSaved = report.ledger.reduce((n, l) => n + l.minutesSaved, 0);
  report.minutesIfEveryRunCounts = report.runs.filter((r) => r.depth === 0 && r.status === 'completed').length * pb.minutesPerRun;
  return report;
}

/** The newest registered version of a playbook. */
export function newest(playbooks: Playbook[], id: string): Playbook | undefined {
  return playbooks.filter((p) => p.id === id).sort((a, b) => b.version - a.version)[0];
}

function newestFor(playbooks: Playbook[], kind: string): Playbook[] {
  const ids = new Set(playbooks.filter((p) => 'signal' in p.trigger && p.trigger.signal === kind).map((p) => p.id));
  return [...ids].map((id) => newest(playbooks, id)!);
}

function shadowSettings(pb: Playbook, current: unknown, override: Record<string, unknown> | undefined): unknown {
  if (!override) return current ?? pb.settings.parse({});
  const merged = { ...((current as Record<string, unknown> | undefined) ?? {}), ...override };
  const parsed = pb.settings.safeParse(merged);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(`settings for ${pb.id}: ${i.path.join('.') || '(root)'}: ${i.message}`, { fix: `Correct "${i.path.join('.')}" (see GET /api/v1/playbooks for the current settings).` });
  }
  return parsed.data;
}

function signalInput(signal: Signal): TriggerInput {
  return { type: 'signal', id: signal.id, kind: signal.kind, subject: signal.subject, data: signal.data, occurredAt: signal.created_at.toISOString() };
}

/** Adds what one run wrote (outbox rows, approvals, ledger rows) to the report. */
async function collectRun(db: Db, runId: string, report: ShadowReport): Promise<void> {
  const outbox = await db.selectFrom('outbox').selectAll().where('run_id', '=', runId).orderBy('created_at').execute();
  for (const o of outbox) {
    const { from: _from, body, ...rest } = o.payload as { from?: string; body?: string } & Record<string, unknown>;
    const effect: ShadowEffect = { runId, channel: o.channel, kind: o.kind, recipient: o.recipient, text: String(body ?? ''), detail: Object.keys(rest).length ? rest : null, at: o.created_at.toISOString() };
    report.wouldSend.push(effect);
  }
  const approvals = await db.selectFrom('approvals').selectAll().where('run_id', '=', runId).orderBy('created_at').execute();
  for (const a of approvals) report.wouldAskOwner.push({ runId, approvalId: a.id, actionKind: a.action_kind, recipient: a.recipient, reasons: a.reasons, proposal: a.proposal });
  const ledger = await db.selectFrom('ledger').selectAll().where('run_id', '=', runId).execute();
  for (const l of ledger) report.ledger.push({ runId, category: l.category, minutesSaved: Number(l.minutes_saved), note: l.note });
}

type Snapshot = Map<string, Record<string, unknown>>;

async function snapshot(db: Db, tenantId: string): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const table of WATCHED_TABLES) {
    const rows = await sql<{ id: string; row: Record<string, unknown> }>`select t.id, to_jsonb(t) as row from ${sql.table(table)} t where t.tenant_id = ${tenantId}`.execute(db);
    for (const r of rows.rows) out.set(`${table}/${r.id}`, r.row);
  }
  return out;
}

function diff(before: Snapshot, after: Snapshot): ShadowRecordChange[] {
  const changes: ShadowRecordChange[] = [];
  for (const [key, row] of after) {
    const [table, id] = key.split('/') as [string, string];
    const old = before.get(key);
    const fields: Record<string, [unknown, unknown]> = {};
    for (const [col, v] of Object.entries(row)) {
      if (col === 'updated_at') continue;
      const was = old ? old[col] : null;
      if (!old || JSON.stringify(was) !== JSON.stringify(v)) fields[col] = [was ?? null, v];
    }
    if (!old) changes.push({ table, id, change: 'created', fields });
    else if (Object.keys(fields).length) changes.push({ table, id, change: 'updated', fields });
  }
  return changes;
}
