/**
 * The `calls` table: opening a call AIOS answers (row + `call_answered` signal + the `phone-call`
 * run, in one transaction), one dialogue turn under `select … for update`, and the call's end.
 * The turn path touches only this row (and whatever the dialogue's ports need): no DBOS round trip.
 */
import { sql } from 'kysely';
import { sendToRun } from '../engine/run-parking.js';
import type { Db } from '../../store/db.js';
import type { Call, CallLine } from '../../store/schema.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { PlaybookHost } from '../engine/playbook-host.js';
import { newId } from '../../core/ids.js';
import { nextTurn, startCall, type CallState, type DialoguePorts, type TurnInput, type TurnOutput } from './dialogue.js';
import type { Lang } from './prompts.js';

/** Signal kind raised when AIOS answers a call; it starts the `phone-call` playbook. */
export const CALL_ANSWERED = 'call_answered';

/** DBOS topic of messages to a call's run: `{ type: 'booked' }` when the caller accepts, `{ type: 'ended' }` at the end. */
export function callTopic(callSid: string): string {
  return `call:${callSid}`;
}

/** A message to a call's `phone-call` run. */
export interface CallMessage {
  type: 'booked' | 'ended';
}

/** Who called whom. */
export interface CallIdentity {
  callSid: string;
  from: string;
  to: string;
  callerName?: string;
}

/** A call rung through to a person first (`ring_first`): recorded so its status callback is not taken for a missed call it is not. */
export async function recordDialedCall(db: Db, tenant: TenantInfo, c: CallIdentity): Promise<void> {
  await db
    .insertInto('calls')
    .values({ id: newId('call'), tenant_id: tenant.id, call_sid: c.callSid, from_number: c.from, to_number: c.to, status: 'ringing', mode: 'dial' })
    .onConflict((oc) => oc.column('call_sid').doNothing())
    .execute();
}

/**
 * AIOS answers a call: the calls row (or the dialed one turned into an answered one), the
 * greeting in the transcript, a `call_answered` signal and its run, in one transaction; the run
 * starts after the commit. Twilio retrying the webhook answers the same greeting, once.
 * @returns the greeting turn
 */
export async function answerCall(db: Db, host: PlaybookHost, tenant: TenantInfo, c: CallIdentity, mode: 'gather' | 'relay', ports: DialoguePorts, lang: Lang, now: Date): Promise<TurnOutput> {
  const { state, out } = startCall(ports, lang);
  const lines: CallLine[] = out.say.map((text) => ({ who: 'aios', text, at: now.toISOString() }));
  const plans = await db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('calls')
      .values({ id: newId('call'), tenant_id: tenant.id, call_sid: c.callSid, from_number: c.from, to_number: c.to, status: 'in-progress', mode, state: JSON.stringify(state), transcript: JSON.stringify(lines) })
      .onConflict((oc) =>
        oc.column('call_sid').doUpdateSet({ status: 'in-progress', mode, state: JSON.stringify(state), transcript: JSON.stringify(lines) }).where('calls.mode', '=', 'dial'),
      )
      .returning(['id'])
      .executeTakeFirst();
    if (!row) return [];
    const signal = await tx
      .insertInto('signals')
      .values({ id: newId('sig'), tenant_id: tenant.id, kind: CALL_ANSWERED, subject: c.from || 'withheld', severity: 'low', dedup_key: `call_answered:${c.callSid}`, data: JSON.stringify({ callSid: c.callSid, from: c.from, to: c.to, callerName: c.callerName ?? null, mode }) })
      .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!signal) return [];
    const planned = await host.planRuns(tx, signal);
    if (planned[0]) await tx.updateTable('calls').set({ run_id: planned[0].runId }).where('call_sid', '=', c.callSid).execute();
    return planned;
  });
  // Awaited: the run must exist before the call's end (or a booking) is sent to it.
  await host.startPlanned(plans);
  return out;
}

/** The call with this CallSid, or undefined. */
export async function findCall(db: Db, callSid: string): Promise<Call | undefined> {
  return db.selectFrom('calls').selectAll().where('call_sid', '=', callSid).executeTakeFirst();
}

/** The result of {@link takeTurn}: what to answer, or null when the call is unknown or over. */
export type TurnResult = { out: TurnOutput; state: CallState; call: Call; newlyBooked: boolean } | null;

/**
 * One caller turn: the row is locked (`for update`, so two webhooks of one call never interleave),
 * the dialogue engine answers, state and transcript are saved. A `booked` transition is told to
 * the call's run after the commit.
 */
export async function takeTurn(db: Db, tenantId: string, callSid: string, input: TurnInput, ports: DialoguePorts, now: Date, heard?: string): Promise<TurnResult> {
  const res = await db.transaction().execute(async (tx) => {
    const call = await tx.selectFrom('calls').selectAll().where('call_sid', '=', callSid).where('tenant_id', '=', tenantId).forUpdate().executeTakeFirst();
    if (!call || call.mode === 'dial' || call.status === 'ended') return null;
    const prev = call.state as unknown as CallState;
    const { state, out } = await nextTurn(prev, input, ports);
    const at = now.toISOString();
    const said = heard ?? (input.kind === 'speech' ? input.text : input.kind === 'digits' ? `[keyed ${input.digits}]` : input.kind === 'silence' ? '[silence]' : '');
    const lines: CallLine[] = [...(said ? [{ who: 'caller' as const, text: said, at }] : []), ...out.say.map((text) => ({ who: 'aios' as const, text, at }))];
    await tx
      .updateTable('calls')
      .set({
        state: JSON.stringify(state),
        transcript: sql`transcript || ${JSON.stringify(lines)}::jsonb`,
        ...(out.next === 'transfer' ? { status: 'transferring' as const } : out.next === 'listen' ? { status: 'in-progress' as const } : {}),
      })
      .where('id', '=', call.id)
      .execute();
    return { out, state, call, newlyBooked: state.booked && !prev.booked };
  });
  if (res?.newlyBooked && res.call.run_id) await sendToRun(db, res.call.run_id, { type: 'booked' } satisfies CallMessage, callTopic(callSid), `call-booked:${callSid}`);
  return res;
}

/** Ends a call (idempotent) and tells its run. @returns false when the call is not one AIOS answered. */
export async function endCall(db: Db, callSid: string, now: Date): Promise<boolean> {
  const call = await db
    .updateTable('calls')
    .set({ status: 'ended', ended_at: sql`coalesce(ended_at, ${now})` })
    .where('call_sid', '=', callSid)
    .where('mode', '!=', 'dial')
    .returning(['run_id'])
    .executeTakeFirst();
  if (!call) return false;
  if (call.run_id) await sendToRun(db, call.run_id, { type: 'ended' } satisfies CallMessage, callTopic(callSid), `call-ended:${callSid}`);
  return true;
}
