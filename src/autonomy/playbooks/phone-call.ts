import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { CALL_ANSWERED, callTopic, findCall, type CallMessage } from '../voice/call-store.js';
import type { CallState } from '../voice/dialogue.js';
import { APPOINTMENT_REQUESTED, releaseHold, type BookingRequest } from '../booking/booking-api.js';
import { appendMessage } from '../../records/conversations.js';
import { upsertContactByPhone } from '../../records/contacts.js';
import { recordLedgerEntry } from '../../records/ledger-entries.js';
import { isWithheldCaller } from '../../connection/twilio/webhook-forms.js';
import type { CallLine } from '../../store/schema.js';
import { ACTION_KINDS } from '../../records/action-minutes.js';

/** Settings under `playbooks.phone-call` in tenant.yaml. */
export const PhoneCallSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** Longest call the run waits for before it files what it has, minutes. */
    max_call_minutes: z.number().int().min(1).max(240).default(60),
  })
  .strict();

/** Signal kind for the owner: a caller left a message, or was transferred and nobody answered. */
export const CALL_MESSAGE = 'call_message';

/**
 * A call AIOS answered, as a durable run: waits for the caller to accept a held slot (hands it to
 * the `appointment` playbook at once) and for the call to end, then files the call — transcript
 * into the caller's voice conversation, contact from caller ID, the ledger line `call_answered`,
 * a held but unaccepted slot released, a message for the owner raised as a `call_message` signal.
 */
export const phoneCall = definePlaybook({
  id: 'phone-call',
  version: 1,
  title: 'Answer a phone call',
  trigger: { signal: CALL_ANSWERED },
  settings: PhoneCallSettings,
  minutesPerRun: ACTION_KINDS.callAnswered.minutes,
  async run(ctx, input) {
    const { db } = ctx.deps;
    const tenant = ctx.tenant;
    const callSid = String(input.data.callSid);
    const caller = input.subject;
    const withheld = isWithheldCaller(String(input.data.from ?? ''));
    const deadline = Date.parse(input.occurredAt) + ctx.settings.max_call_minutes * 60_000;

    const load = (id: string) =>
      ctx.step(id, async () => {
        const call = await findCall(db, callSid);
        if (!call) throw new Error(`call ${callSid} has no calls row`);
        return { state: call.state as unknown as CallState, transcript: call.transcript as CallLine[], startedAt: new Date(call.started_at).toISOString() };
      });

    let appointmentRaised = false;
    const handOver = async (state: CallState, contactId: string) => {
      if (!state.booked || !state.hold || appointmentRaised) return;
      const req: BookingRequest = { holdId: state.hold.holdId, contactId, channel: 'sms', address: state.callback ?? caller, name: state.name ?? null, need: state.need ?? null, location: state.address ?? null };
      await ctx.raise('raise-appointment', { kind: APPOINTMENT_REQUESTED, subject: req.address, dedupKey: `appointment:${state.hold.holdId}`, data: req as unknown as Record<string, unknown> });
      appointmentRaised = true;
    };
    const contactFor = (id: string, state: CallState) =>
      ctx.step(id, async () => (await upsertContactByPhone(db, tenant.id, state.callback ?? caller, { name: state.name ?? null, source: 'voice' })).contact.id);

    for (;;) {
      const wait = Math.max(1, deadline - ctx.deps.clock.now().getTime());
      const msg = await ctx.waitFor<CallMessage>(callTopic(callSid), wait, `call ${callSid} to end`);
      if (msg?.type === 'booked' && !appointmentRaised) {
        const { state } = await load('load-booked');
        await handOver(state, await contactFor('contact-booked', state));
        continue;
      }
      break;
    }

    const { state, transcript, startedAt } = await load('load-ended');
    const contactId = state.callback || !withheld ? await contactFor('contact', state) : null;
    if (!withheld) {
      await ctx.step('transcript', async () => {
        for (const [i, line] of transcript.entries()) {
          await appendMessage(db, { tenantId: tenant.id, channel: 'voice', address: caller, direction: line.who === 'caller' ? 'inbound' : 'outbound', body: line.text, externalId: `${callSid}:${i}`, runId: ctx.runId, at: new Date(line.at) });
        }
        return transcript.length;
      });
    }
    if (contactId) await handOver(state, contactId);
    if (state.hold && !state.booked) await ctx.step('release-hold', () => releaseHold(db, tenant.id, state.hold!.holdId));
    await ctx.step('ledger', () =>
      recordLedgerEntry(db, { tenantId: tenant.id, runId: ctx.runId, category: 'call_answered', minutesSaved: phoneCall.minutesPerRun, note: `answered ${caller}${state.booked ? '; booked' : ''}` }),
    );
    if (state.message || state.transferReason) {
      await ctx.raise('raise-message', {
        kind: CALL_MESSAGE, subject: state.callback ?? caller, dedupKey: `call_message:${callSid}`, severity: state.transferReason === 'emergency' ? 'high' : 'normal',
        data: { callSid, from: caller, message: state.message ?? null, transferReason: state.transferReason ?? null, name: state.name ?? null, startedAt },
      });
    }
    const parts = [`answered ${caller}`, `${transcript.length} lines`];
    if (state.booked && state.hold) parts.push(`booked ${state.hold.label}`);
    if (state.message) parts.push('message taken');
    if (state.transferReason) parts.push(`transferred (${state.transferReason})`);
    if (state.gaps.length) parts.push(`${state.gaps.length} question(s) for the owner`);
    return { summary: parts.join('; '), resolved: true };
  },
});
