import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeSms } from '../actions/propose.js';
import { openDealForContact, STAGE_NEW_LEAD } from '../../records/deals.js';
import { draftMissedCall } from '../../ai/drafts/missed-call-draft.js';
import { searchKnowledge } from '../../knowledge/search.js';
import { MISSED_CALL } from '../../awareness/missed-call-watcher.js';
import { hoursToday } from './business-hours.js';
import { localClockWords } from '../../core/time-words.js';
import { outboundAllowList } from '../actions/outbound-allowed.js';
import { firstName, sanitizeName } from '../../core/sanitize-name.js';
import type { RunContext, InboundReply } from '../engine/run-context.js';
import type { RunOutcome, TriggerInput } from '../engine/define-playbook.js';
import { describeOutcome, runBookingConversation } from '../conversation/booking-conversation.js';
import { ACTION_KINDS } from '../../records/action-minutes.js';

/** Settings under `playbooks.missed-call-text-back` in tenant.yaml. */
export const MissedCallSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** A caller who rings again within this many minutes is not texted twice. */
    recall_window_minutes: z.number().int().min(0).max(1440).default(30),
    /** How long to wait for the caller's reply, in hours. */
    reply_wait_hours: z.number().positive().max(720).default(48),
  })
  .strict();

export type MissedCallSettingsT = z.infer<typeof MissedCallSettings>;

/** What the text-back part of both versions ends with: an outcome to return, or the caller's reply. */
type TextBackResult =
  | { done: RunOutcome }
  | { done: null; caller: string; contactId: string; name: string | null; responseMs: number; reply: InboundReply };

/** Text back the missed caller (draft + policy, [approval], send + ledger), then wait for the reply. Steps `text-back.*`. */
async function textBackAndWait(ctx: RunContext<MissedCallSettingsT>, input: TriggerInput, minutesPerRun: number): Promise<TextBackResult> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const caller = input.subject;
  const callerName = typeof input.data.callerName === 'string' ? sanitizeName(input.data.callerName) : null;
  const calledAt = new Date(String(input.data.calledAt ?? input.occurredAt));

  // The contact was created or updated from caller ID when the call came in (same transaction).
  // `contactName` is the quotable name (never an unverified visitor's), else caller ID.
  const contactId = String(input.data.contactId);
  const name = (typeof input.data.contactName === 'string' ? sanitizeName(input.data.contactName) : null) ?? callerName;
  const draft = async () => {
    // The owner's voice file guides a model draft; the offline template has the tone built in.
    const voiceRules = ctx.deps.models.spec
      ? (await searchKnowledge(db, tenant.id, 'tone greeting sign-off banned phrases', { kinds: ['voice'], limit: 3 })).map((h) => h.excerpt).join('\n')
      : undefined;
    const d = await draftMissedCall(ctx.deps.models, {
      voiceRules: voiceRules || undefined,
      tenantId: tenant.id,
      runId: ctx.runId,
      businessName: tenant.name,
      businessPhone: tenant.phone,
      tone: tenant.profile.tone,
      bookingLink: tenant.profile.booking_link,
      signOff: tenant.profile.sign_off,
      hoursToday: hoursToday(tenant, clock.now()),
      // Outside values are cleaned again where they enter the template (no links, no digits).
      callerFirstName: firstName(name),
      allowed: outboundAllowList(tenant, ctx.deps.publicUrl()),
      plainCharacters: tenant.profile.sms?.plain_characters,
    });
    return { text: d.text, confidence: d.confidence, drafter: d.offlineReason ? `template (${d.offlineReason})` : d.drafter, byAios: true };
  };

  const sent = await proposeSms(ctx, 'text-back', {
    kind: 'sms.send', to: caller, body: draft, context: `missed call ${localClockWords(calledAt, tenant.timeZone, tenant.locale)}`,
    untrusted: typeof input.data.callerName === 'string' ? [{ label: 'caller ID name (set by the caller\'s phone company or the caller)', text: input.data.callerName }] : [],
    ledger: { category: 'missed_call_text_back', minutesSaved: minutesPerRun, since: calledAt.toISOString(), note: `texted ${caller}` },
  });
  if (sent.status === 'refused') return { done: { summary: `not texted: ${sent.reasons.map((r) => r.detail).join('; ')}` } };
  if (sent.status === 'rejected') return { done: { summary: `owner rejected the text: ${sent.reason ?? ''}` } };
  if (sent.status === 'expired') return { done: { summary: 'approval expired; caller not texted' } };
  if (sent.status !== 'sent') return { done: { summary: `text ${sent.status}: ${sent.error ?? ''}` } };
  const responseMs = new Date(sent.sentAt).getTime() - calledAt.getTime();

  const reply = await ctx.waitForReply(caller, ctx.settings.reply_wait_hours * 3_600_000);
  if (!reply) return { done: { summary: `texted ${caller} in ${Math.round(responseMs / 1000)} s; no reply within ${ctx.settings.reply_wait_hours} h` } };
  return { done: null, caller, contactId, name, responseMs, reply };
}

/** Step `open-deal`: the caller's deal in stage "new lead" (both versions, same step id). */
function openMissedCallDeal(ctx: RunContext<MissedCallSettingsT>, contactId: string, who: string) {
  return ctx.step('open-deal', () =>
    openDealForContact(ctx.deps.db, ctx.tenant.id, contactId, { title: `Missed call from ${who}`, stage: STAGE_NEW_LEAD, source: 'missed_call', currency: ctx.tenant.currency }),
  );
}

/**
 * Version 1 (kept for runs in flight): missed call → text back → wait for the reply → contact,
 * deal in "new lead", signal resolved.
 *
 * Steps: text-back.* (decide = draft + policy [+ send + ledger when auto], [approval], send + ledger) →
 * wait for the reply → open-deal.
 */
export const missedCallTextBack = definePlaybook({
  id: 'missed-call-text-back',
  version: 1,
  title: 'Text back a missed call',
  trigger: { signal: MISSED_CALL },
  settings: MissedCallSettings,
  minutesPerRun: ACTION_KINDS.missedCallBack.minutes,
  async run(ctx, input) {
    const tb = await textBackAndWait(ctx, input, ACTION_KINDS.missedCallBack.minutes);
    if (tb.done) return tb.done;
    const { caller, contactId, name, responseMs } = tb;
    const deal = await openMissedCallDeal(ctx, contactId, name ?? caller);
    return { summary: `texted ${caller} in ${Math.round(responseMs / 1000)} s; caller replied; deal ${deal.created ? 'opened' : 'updated'} (${STAGE_NEW_LEAD})`, resolved: true };
  },
});

/**
 * Version 2: as version 1, then the caller's reply opens the deal and continues into the booking
 * conversation with the reply as its first message ("can you come tomorrow?" → three times
 * tomorrow → "1" → held and handed to the `appointment` playbook).
 *
 * Steps: text-back.* → wait for the reply → open-deal → conv.* (see `booking-conversation.ts`).
 */
export const missedCallTextBackV2 = definePlaybook({
  id: 'missed-call-text-back',
  version: 2,
  title: 'Text back a missed call and book it',
  trigger: { signal: MISSED_CALL },
  settings: MissedCallSettings,
  minutesPerRun: ACTION_KINDS.missedCallBack.minutes,
  async run(ctx, input) {
    const tb = await textBackAndWait(ctx, input, ACTION_KINDS.missedCallBack.minutes);
    if (tb.done) return tb.done;
    const { caller, contactId, name, responseMs, reply } = tb;
    const deal = await openMissedCallDeal(ctx, contactId, name ?? caller);
    const out = await runBookingConversation(ctx, {
      address: caller, contactId, name, message: reply.body, messageAt: reply.receivedAt, greet: false, dealId: deal.dealId,
      replyWaitMs: ctx.settings.reply_wait_hours * 3_600_000, stepPrefix: 'conv',
    });
    return {
      summary: `texted ${caller} in ${Math.round(responseMs / 1000)} s; caller replied; deal ${deal.created ? 'opened' : 'updated'} (${STAGE_NEW_LEAD}); ${describeOutcome(out)}`,
      resolved: true,
    };
  },
});
