import { sql } from 'kysely';
import type { Recording, Transcription, MessageStatus } from '../connection/twilio/callback-forms.js';
import { appendEvent, type StoredEvent } from '../connection/events.js';
import { isWithheldCaller } from '../connection/twilio/webhook-forms.js';
import { appendMessage } from '../records/conversations.js';
import { onMissedCall } from '../awareness/missed-call-watcher.js';
import { missedCallTextBack, type MissedCallSettingsT } from '../autonomy/playbooks/missed-call-text-back.js';
import { ConflictError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { IntakeDeps, IntakeResult } from './intake.js';
import type { TenantRegistry } from './tenant-registry.js';

interface CallRef {
  tenantId: string;
  type: string;
  from: string;
  callerName: string | null;
}

/** The call a recording or transcription belongs to, from its status-callback event. */
async function findCall(d: IntakeDeps, callSid: string): Promise<CallRef> {
  const ev = await d.db.selectFrom('events').select(['tenant_id', 'type', 'payload']).where('dedup_key', '=', `twilio:call:${callSid}`).executeTakeFirst();
  if (!ev) throw new ConflictError(`call ${callSid} is not known yet`, "Twilio sends the call's status callback separately; this callback can be retried once it has arrived.");
  const p = ev.payload as { from: string; callerName?: string | null };
  return { tenantId: ev.tenant_id, type: ev.type, from: p.from, callerName: p.callerName ?? null };
}

/**
 * A voicemail recording: stored as an event and a voice message in the caller's conversation. A
 * call that reached voicemail was not answered by a person, so when its status callback said
 * `completed`, the voicemail makes it a missed call (same recall window, same playbook).
 */
export async function intakeRecording(d: IntakeDeps & { tenants: TenantRegistry }, r: Recording): Promise<IntakeResult> {
  const call = await findCall(d, r.callSid);
  const tenant = d.tenants.get(call.tenantId);
  const settings = tenant.playbookSettings[missedCallTextBack.id] as MissedCallSettingsT;
  const out = await d.db.transaction().execute(async (tx) => {
    const { event, duplicate } = await appendEvent(tx, {
      tenantId: call.tenantId, source: 'twilio', type: 'call.voicemail', dedupKey: `twilio:recording:${r.recordingSid}`, occurredAt: d.clock.now(),
      payload: { callSid: r.callSid, recordingSid: r.recordingSid, recordingUrl: r.recordingUrl, durationSeconds: r.durationSeconds, from: call.from, callerName: call.callerName, callStatus: 'voicemail' },
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
export async function intakeTranscription(d: IntakeDeps, t: Transcription): Promise<IntakeResult> {
  const call = await findCall(d, t.callSid);
  const { event, duplicate } = await appendEvent(d.db, {
    tenantId: call.tenantId, source: 'twilio', type: 'call.transcription', dedupKey: `twilio:transcription:${t.transcriptionSid}`, occurredAt: d.clock.now(),
    payload: { callSid: t.callSid, recordingSid: t.recordingSid, completed: t.completed, text: t.text, from: call.from },
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
