import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { NEW_LEAD } from '../../awareness/new-lead-watcher.js';
import { openDealForContact, STAGE_NEW_LEAD } from '../../records/deals.js';
import { sanitizeName } from '../../core/sanitize-name.js';
import { describeOutcome, LEAD_NEEDS_OWNER, runBookingConversation } from '../conversation/booking-conversation.js';
import { ACTION_KINDS } from '../../records/action-minutes.js';

/** Settings under `playbooks.lead-response` in tenant.yaml. */
export const LeadResponseSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** How long to wait for each of the lead's replies, in hours. */
    reply_wait_hours: z.number().positive().max(720).default(48),
  })
  .strict();

export type LeadResponseSettingsT = z.infer<typeof LeadResponseSettings>;

/** Ledger category of the first answer to a lead (speed-to-lead: `response_ms` from the lead's arrival). */
export const LEAD_RESPONSE_CATEGORY = 'lead_response';

/**
 * A new lead (web form, widget, …) → within the minute, one text that answers what they asked and
 * offers three bookable times → the booking conversation (`conversation/booking-conversation.ts`)
 * until a slot is held and handed to the `appointment` playbook. A lead with an email only, or with
 * no way to reach them, is a `lead_needs_owner` signal (email answers follow with the email channel).
 *
 * Steps: open-deal → conv.* (first, offer.0, text.0.*, then per reply read.N, hold.N / offer.N / text.N.*, book.N).
 */
export const leadResponse = definePlaybook({
  id: 'lead-response',
  version: 1,
  title: 'Answer a new lead and book it',
  trigger: { signal: NEW_LEAD },
  settings: LeadResponseSettings,
  minutesPerRun: ACTION_KINDS.leadFirstAnswer.minutes,
  async run(ctx, input) {
    const d = input.data;
    const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
    const phone = str(d.phone);
    const email = str(d.email);
    const contactId = str(d.contactId);
    // Only the quotable name (never an unverified widget visitor's): `contactName` from the watcher.
    const name = sanitizeName(str(d.contactName));
    const receivedAt = str(d.receivedAt) ?? input.occurredAt;

    if (!phone || !contactId) {
      const reason = !phone && !email ? 'lead with neither phone nor email (only the message)' : !contactId ? 'lead without a contact' : email ? `lead with an email only (${email}); no email channel to answer on` : 'lead with neither phone nor email';
      await ctx.raise('owner', {
        kind: LEAD_NEEDS_OWNER, subject: phone ?? email ?? input.subject, severity: 'high', dedupKey: `${LEAD_NEEDS_OWNER}:${ctx.runId}`,
        data: { reason, contactId, email, name, message: str(d.message), source: str(d.source), leadSignalId: input.id },
      });
      return { summary: `handed to the owner: ${reason}` };
    }

    const deal = await ctx.step('open-deal', () =>
      openDealForContact(ctx.deps.db, ctx.tenant.id, contactId, { title: `Web lead from ${name ?? phone}`, stage: STAGE_NEW_LEAD, source: str(d.source) === 'widget' ? 'widget' : 'web_form', currency: ctx.tenant.currency }),
    );
    const out = await runBookingConversation(ctx, {
      address: phone, contactId, name, email, message: str(d.message), messageAt: receivedAt, greet: true, dealId: deal.dealId,
      ledger: { category: LEAD_RESPONSE_CATEGORY, minutesSaved: leadResponse.minutesPerRun, since: receivedAt, note: `answered lead ${phone}` },
      replyWaitMs: ctx.settings.reply_wait_hours * 3_600_000, stepPrefix: 'conv',
    });
    return { summary: describeOutcome(out), resolved: out.status === 'requested' || out.status === 'lost' };
  },
});
