import { sql } from 'kysely';
import type { Recording, Transcription, MessageStatus } from '../connection/twilio/callback-forms.js';
import { appendEvent, type StoredEvent } from '../connection/events.js';
import { isWithheldCaller } from '../connection/twilio/webhook-forms.js';
import { appendMessage } from '../records/conversations.js';
import { onMissedCall } from '../awareness/missed-call-watcher.js';
import { missedCallTextBack, type MissedCallSettingsT } from '../autonomy/playbooks/missed-call-text-back.js';
import { ConflictError, InputError } from '../core/errors.js';
import type { RawBody } from '../core/clean-text.js';
import { newId } from '../core/ids.js';
import type { IntakeDeps, IntakeResult } from './intake.js';
import type { TenantRegistry } from './tenant-registry.js';

interface CallRef {
  tenantId: string;
  type: string;
  from: string;
  callerName: string | null;
}

/** What a callback names to find its call: the CallSid and the Twilio account it came from. */
interface CallKey {
  callSid: string;
  accountSid: string;
}

/**
 * The call a recording or transcription belongs to, from its status-callback event. Twilio's
 * recording and transcription callbacks carry no `To`, so the call is looked up by CallSid; it
 * belongs to the tenant whose number the status callback was to (the event's tenant), and only
 * when the callback's AccountSid is the one that status callback recorded. Events stored before
 * the account was recorded count as the configured `AIOS_TWILIO_ACCOUNT_SID` (any, when unset).
 * @throws ConflictError (409) when the call is not known yet (Twilio may retry) or is known to
 *   more than one tenant under this account; InputError (403) when it is another account's call.
 */
async function findCall(d: IntakeDeps & { configuredAccountSid?: string | null }, key: CallKey): Promise<CallRef> {
  const events = await d.db.selectFrom('events').select(['tenant_id', 'type', 'payload']).where('source', '=', 'twilio').where('dedup_key', '=', `twilio:call:${key.callSid}`).execute();
  if (!events.length) throw new ConflictError(`call ${key.callSid} is not known yet`, "Twilio sends the call's status callback separately; this callback can be retried once it has arrived.");
  const legacy = d.configuredAccountSid ?? key.accountSid;
  const mine = events.filter((ev) => ((ev.payload as { accountSid?: string }).accountSid ?? legacy) === key.accountSid);
  if (!mine.length) {
    throw new InputError(`call ${key.callSid} is not a call of Twilio account ${key.accountSid}`, { status: 403, code: 'account_mismatch', fix: 'Send recording and transcription callbacks from the account that received the call.' });
  }
  if (mine.length > 1) throw new ConflictError(`call ${key.callSid} is known to ${mine.length} businesses; the callback is not filed`, 'Check that each Twilio number points at one AIOS business.');
  const ev = mine[0]!;
  const p = ev.payload as { from: string; callerName?: string | null };
  return { tenantId: ev.tenant_id, type: ev.type, from: p.from, callerName: p.callerName ?? null };
}

/** What the voicemail callbacks need: intake's dependencies and, optionally, the instance config. */
export type CallbackDeps = IntakeDeps & { config?: { twilio: { accountSid: string | null } } };

const callbackScope = (d: CallbackDeps) => ({ ...d, configuredAccountSid: d.config?.twilio.accountSid ?? null });

/**
 * A voicemail recording: stored as an event and a voice message in the caller's conversation. A
 * call that reached voicemail was not answered by a person, so when its status callback said
 * `completed`, the voicemail makes it a missed call (same recall window, same playbook). Filed
 * only in the call's own tenant and account (see `findCall`): another account's call is a 403.
 */
export async function intakeRecording(d: CallbackDeps & { tenants: TenantRegistry }, r: Recording, raw: RawBody | null = null): Promise<IntakeResult> {
  const call = await findCall(callbackScope(d), r);
  const tenant = d.tenants.get(call.tenantId);
  const settings = tenant.playbookSettings[missedCallTextBack.id] as MissedCallSettingsT;
  const out = await d.db.transaction().execute(async (tx) => {
    const { event, duplicate } = await appendEvent(tx, {
      tenantId: call.tenantId, source: 'twilio', type: 'call.voicemail', dedupKey: `twilio:recording:${r.recordingSid}`, occurredAt: d.clock.now(),
      payload: { callSid: r.callSid, accountSid: r.accountSid, recordingSid: r.recordingSid, recordingUrl: r.recordingUrl, durationSeconds: r.durationSeconds, from: call.from, callerName: call.callerName, callStatus: 'voicemail', ...(raw ? { raw } : {}) },
    });
    if (duplicate) return null;
    // A withheld caller cannot be a contact or be texted back; the voicemail is kept as the event.
    if (isWithheldCaller(call.from)) return { plans: [] };
    await appendMessage(tx, { tenantId: call.tenantId, channel: 'voice', address: call.from, direction: 'inbound', body: `Voicemail (${r.durationSeconds ?? '?'} s): ${r.recordingUrl}`, externalId: r.recordingSid, eventId: event.id });
    if (call.type !== 'call.completed') return { plans: [] };
    const { signal, isNew } = await onMissedCall(tx, event as StoredEvent, { recallWindowMinutes: settings.recall_window_minutes });
    return { plans: isNew ? await d.host.planRuns(tx, signal) : [] };
  });
  if (!out) return { stored: false, duplicate: true };
  await d.host.startPlanned(out.plans);
  return { stored: true, duplicate: false, runIds: out.plans.map((p) => p.runId) };
}

/**
 * A voicemail transcription: the caller's words join their conversation and are handed to runs
 * waiting for this caller's reply — a voicemail answers the text-back as well as an SMS does.
 */
export async function intakeTranscription(d: CallbackDeps, t: Transcription, raw: RawBody | null = null): Promise<IntakeResult> {
  const call = await findCall(callbackScope(d), t);
  const { event, duplicate } = await appendEvent(d.db, {
    tenantId: call.tenantId, source: 'twilio', type: 'call.transcription', dedupKey: `twilio:transcription:${t.transcriptionSid}`, occurredAt: d.clock.now(),
    payload: { callSid: t.callSid, accountSid: t.accountSid, recordingSid: t.recordingSid, completed: t.completed, text: t.text, from: call.from, ...(raw ? { raw } : {}) },
  });
  if (duplicate) return { stored: false, duplicate: true };
  if (!t.completed || !t.text.trim() || isWithheldCaller(call.from)) return { stored: true, duplicate: false };
  const msg = await appendMessage(d.db, { tenantId: call.tenantId, channel: 'voice', address: call.from, direction: 'inbound', body: `Voicemail transcript: ${t.text}`, externalId: t.transcriptionSid, eventId: event.id });
  await d.host.deliverReply(call.tenantId, { messageId: msg.messageId, from: call.from, body: t.text, receivedAt: d.clock.now().toISOString() });
  return { stored: true, duplicate: false };
}

/**
 * A delivery receipt: the outbox row of that message records it. `undelivered` and `failed` raise a
 * `message_undelivered` signal so the owner knows the customer did not get the text. Receipts for
 * messages AIOS did not send are acknowledged and ignored.
 */
export async function intakeMessageStatus(d: IntakeDeps, s: MessageStatus): Promise<IntakeResult> {
  const row = await d.db
    .updateTable('outbox')
    .set({ delivery_status: s.status, delivery_error: s.errorCode, delivery_updated_at: sql`now()` })
    .where('provider_ref', '=', s.messageSid)
    .returning(['id', 'tenant_id', 'recipient', 'run_id'])
    .executeTakeFirst();
  if (!row) return { stored: false, duplicate: false };
  if (s.status === 'undelivered' || s.status === 'failed') {
    await d.db
      .insertInto('signals')
      .values({
        id: newId('sig'), tenant_id: row.tenant_id, kind: 'message_undelivered', subject: row.recipient, severity: 'high',
        dedup_key: `message_undelivered:${s.messageSid}`, data: JSON.stringify({ outboxId: row.id, runId: row.run_id, status: s.status, errorCode: s.errorCode }), dispatched_at: new Date(),
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
      .execute();
  }
  return { stored: true, duplicate: false };
}
