import type { Db } from '../store/db.js';
import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/clock.js';
import type { TenantInfo } from '../records/tenants.js';
import type { VoiceStatus, InboundSms } from '../connection/twilio/webhook-forms.js';
import { isMissedCall, classifyKeyword, isWithheldCaller } from '../connection/twilio/webhook-forms.js';
import { newId } from '../core/ids.js';
import type { RawBody } from '../core/clean-text.js';
import { appendEvent } from '../connection/events.js';
import { appendMessage } from '../records/conversations.js';
import { setOptOut } from '../records/contacts.js';
import { audit } from '../records/audit.js';
import { onMissedCall } from '../awareness/missed-call-watcher.js';
import type { PlaybookHost } from '../autonomy/engine/playbook-host.js';
import { missedCallTextBack, type MissedCallSettingsT } from '../autonomy/playbooks/missed-call-text-back.js';
import { isOwnerCommand, answerOwnerSms } from './owner-sms-intake.js';
import { endCall, findCall } from '../autonomy/voice/call-store.js';
import { isHandoffAnswer, answerHandoffSms } from './owner-handoff-sms.js';
import { INBOUND_UNROUTED } from '../autonomy/playbooks/inbound-message.js';

/** True when AIOS answered this call, or a person took it after AIOS rang them first. */
async function answeredCall(db: Db, callSid: string): Promise<boolean> {
  const call = await findCall(db, callSid);
  return call !== undefined && (call.mode !== 'dial' || call.status === 'ended');
}

/** What intake needs from the runtime. */
export interface IntakeDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  host: PlaybookHost;
}

/** The outcome of one webhook, for the HTTP response and logs. */
export interface IntakeResult {
  stored: boolean;
  duplicate: boolean;
  signalId?: string;
  runIds?: string[];
  /** SMS replies to return in TwiML (carrier keyword answers). */
  replies?: string[];
}

/**
 * A Twilio call status callback. A missed call (no-answer, busy, failed, canceled) becomes an
 * event and, in the same transaction, a `missed_call` signal (or a repeat count on a recent one);
 * then the playbook run starts. A `completed` call is stored as an event only (a later voicemail
 * recording may turn it into a missed call); other statuses are acknowledged and not stored.
 * The event records the call's `accountSid` (its recording and transcription must carry the same)
 * and, when text in the webhook had to be cleaned, the raw body (`raw`, see `core/clean-text.ts`).
 */
export async function intakeVoiceStatus(d: IntakeDeps, tenant: TenantInfo, v: VoiceStatus, raw: RawBody | null = null): Promise<IntakeResult> {
  const kept = { accountSid: v.accountSid, ...(raw ? { raw } : {}) };
  // A call AIOS answered (or a person took after ringing first) is not a missed call: its end is told to the call's run.
  const answered = await answeredCall(d.db, v.callSid);
  if (answered) {
    if (v.callStatus === 'completed' || isMissedCall(v.callStatus)) await endCall(d.db, v.callSid, d.clock.now());
    return { stored: false, duplicate: false };
  }
  if (v.callStatus === 'completed') {
    // Kept so that a voicemail recording (which names only the CallSid) can find its caller.
    const { duplicate } = await appendEvent(d.db, {
      tenantId: tenant.id, source: 'twilio', type: 'call.completed', dedupKey: `twilio:call:${v.callSid}`, occurredAt: d.clock.now(),
      payload: { callSid: v.callSid, from: v.from, to: v.to, callStatus: v.callStatus, callerName: v.callerName ?? null, durationSeconds: v.callDuration ?? null, ...kept },
    });
    return { stored: !duplicate, duplicate };
  }
  if (!isMissedCall(v.callStatus)) return { stored: false, duplicate: false };
  if (isWithheldCaller(v.from)) return intakeWithheldMissedCall(d, tenant, v, kept);
  const settings = tenant.playbookSettings[missedCallTextBack.id] as MissedCallSettingsT;
  const outcome = await d.db.transaction().execute(async (tx) => {
    const { event, duplicate } = await appendEvent(tx, {
      tenantId: tenant.id, source: 'twilio', type: 'call.missed', dedupKey: `twilio:call:${v.callSid}`,
      // Receipt time, not Twilio's Timestamp field: that has whole-second precision and comes from the sender.
      occurredAt: d.clock.now(),
      payload: { callSid: v.callSid, from: v.from, to: v.to, callStatus: v.callStatus, callerName: v.callerName ?? null, timestamp: v.timestamp?.toISOString() ?? null, ...kept },
    });
    if (duplicate) return { duplicate: true as const };
    const { signal, isNew } = await onMissedCall(tx, event, { recallWindowMinutes: settings.recall_window_minutes });
    const plans = isNew ? await d.host.planRuns(tx, signal) : [];
    return { duplicate: false as const, signal, plans };
  });
  if (outcome.duplicate) return { stored: false, duplicate: true };
  // After the commit: a crash between here and the start is repaired at the next start (startOrphans).
  await d.host.startPlanned(outcome.plans);
  return { stored: true, duplicate: false, signalId: outcome.signal.id, runIds: outcome.plans.map((p) => p.runId) };
}

/**
 * A missed call from a withheld number: nobody can be texted back, but the owner should know a
 * customer tried to call. Stored as an event and a `missed_call_withheld` signal (no playbook).
 */
async function intakeWithheldMissedCall(d: IntakeDeps, tenant: TenantInfo, v: VoiceStatus, kept: Record<string, unknown>): Promise<IntakeResult> {
  return d.db.transaction().execute(async (tx) => {
    const { event, duplicate } = await appendEvent(tx, {
      tenantId: tenant.id, source: 'twilio', type: 'call.missed', dedupKey: `twilio:call:${v.callSid}`, occurredAt: d.clock.now(),
      payload: { callSid: v.callSid, from: v.from || 'withheld', to: v.to, callStatus: v.callStatus, withheld: true, ...kept },
    });
    if (duplicate) return { stored: false, duplicate: true };
    const signalId = newId('sig');
    await tx
      .insertInto('signals')
      .values({ id: signalId, tenant_id: tenant.id, kind: 'missed_call_withheld', subject: 'withheld number', severity: 'normal', dedup_key: `missed_call_withheld:${event.id}`, event_id: event.id, data: JSON.stringify({ callSid: v.callSid, callStatus: v.callStatus }), dispatched_at: new Date() })
      .execute();
    return { stored: true, duplicate: false, signalId, runIds: [] };
  });
}

/**
 * An inbound SMS. It is stored as an event and joins the sender's conversation (once, even when
 * Twilio retries). STOP / START / HELP are honoured: opt-out and opt-in are recorded and answered.
 * A message from the owner's phone on a verified webhook (`signatureVerified`) answers the
 * approval notices (`YES` is then a decision, not an opt-in) and is never handed to runs; other
 * messages are handed to runs waiting for this person's reply. When text in the webhook had to be
 * cleaned, the event keeps the raw body (`raw`, see `core/clean-text.ts`).
 */
export async function intakeInboundSms(d: IntakeDeps, tenant: TenantInfo, m: InboundSms, opts: { signatureVerified?: boolean; raw?: RawBody | null } = {}): Promise<IntakeResult> {
  const raw = opts.raw ?? null;
  const now = d.clock.now();
  const { event, duplicate } = await appendEvent(d.db, {
    tenantId: tenant.id, source: 'twilio', type: 'sms.received', dedupKey: `twilio:sms:${m.messageSid}`, occurredAt: now,
    payload: { messageSid: m.messageSid, from: m.from, to: m.to, body: m.body, media: m.media, ...(raw ? { raw } : {}) },
  });
  if (duplicate) return { stored: false, duplicate: true };
  const msg = await appendMessage(d.db, { tenantId: tenant.id, channel: 'sms', address: m.from, direction: 'inbound', body: m.body, externalId: m.messageSid, eventId: event.id, media: m.media, at: now });
  const keyword = classifyKeyword(m.body);
  if (keyword === 'stop') {
    await setOptOut(d.db, tenant.id, m.from, true, now);
    await audit(d.db, tenant.id, m.from, 'sms.opt_out', m.from, { messageSid: m.messageSid });
    return { stored: true, duplicate: false, replies: [`${tenant.name}: you are unsubscribed and will get no more messages. Reply START to resubscribe.`] };
  }
  if (isOwnerCommand(tenant, m.from, opts.signatureVerified === true) && keyword === null && isHandoffAnswer(m.body)) {
    return { stored: true, duplicate: false, replies: [await answerHandoffSms(d, tenant, m.body, m.messageSid)] };
  }
  if (isOwnerCommand(tenant, m.from, opts.signatureVerified === true) && (keyword === null || m.body.trim().toUpperCase() === 'YES')) {
    return { stored: true, duplicate: false, replies: [await answerOwnerSms(d, tenant, m.body)] };
  }
  if (keyword === 'start') {
    await setOptOut(d.db, tenant.id, m.from, false, now);
    await audit(d.db, tenant.id, m.from, 'sms.opt_in', m.from, { messageSid: m.messageSid });
    return { stored: true, duplicate: false, replies: [`${tenant.name}: you are resubscribed. Reply STOP to unsubscribe.`] };
  }
  if (keyword === 'help') {
    const reach = tenant.profile.booking_link ? ` Book: ${tenant.profile.booking_link}.` : '';
    return { stored: true, duplicate: false, replies: [`${tenant.name}: call us at ${tenant.phone}.${reach} Reply STOP to unsubscribe.`] };
  }
  const delivered = await d.host.deliverReply(tenant.id, { messageId: msg.messageId, from: m.from, body: m.body, receivedAt: now.toISOString() });
  d.log.debug({ tenant: tenant.slug, from: m.from, delivered }, 'inbound sms');
  // Nobody waited for it: the inbound-message playbook classifies it and answers or hands it to the owner.
  if (delivered === 0 && m.from !== tenant.owner.phone) {
    const routed = await routeUnwaited(d, tenant, { messageId: msg.messageId, conversationId: msg.conversationId, contactId: msg.contactId, from: m.from, body: m.body, eventId: event.id, at: now });
    return { stored: true, duplicate: false, signalId: routed.signalId, runIds: routed.runIds };
  }
  return { stored: true, duplicate: false };
}

/**
 * Raises `inbound_unrouted` for a message no run waited for and plans its run in one transaction
 * (one signal per message: dedup key `inbound_unrouted:<message id>`), then starts it.
 */
async function routeUnwaited(d: IntakeDeps, tenant: TenantInfo, m: { messageId: string; conversationId: string; contactId: string; from: string; body: string; eventId: string; at: Date }): Promise<{ signalId: string; runIds: string[] }> {
  const out = await d.db.transaction().execute(async (tx) => {
    const signal = await tx
      .insertInto('signals')
      .values({
        id: newId('sig'), tenant_id: tenant.id, kind: INBOUND_UNROUTED, subject: m.from, severity: 'normal', dedup_key: `${INBOUND_UNROUTED}:${m.messageId}`, event_id: m.eventId,
        data: JSON.stringify({ messageId: m.messageId, conversationId: m.conversationId, contactId: m.contactId, channel: 'sms', body: m.body, receivedAt: m.at.toISOString() }),
        created_at: m.at,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return signal ? { signalId: signal.id, plans: await d.host.planRuns(tx, signal) } : { signalId: '', plans: [] };
  });
  await d.host.startPlanned(out.plans);
  return { signalId: out.signalId, runIds: out.plans.map((p) => p.runId) };
}
