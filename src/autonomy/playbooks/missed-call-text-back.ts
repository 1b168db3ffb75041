import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeSms } from '../actions/propose.js';
import { openDealForContact, STAGE_NEW_LEAD } from '../../records/deals.js';
import { draftMissedCall } from '../../ai/drafts/missed-call-draft.js';
import { searchKnowledge } from '../../knowledge/search.js';
import { MISSED_CALL } from '../../awareness/missed-call-watcher.js';
import { hoursToday } from './business-hours.js';
import { localParts } from '../../core/time-zone.js';
import { outboundAllowList } from '../actions/outbound-allowed.js';
import { firstName, sanitizeName } from '../../core/sanitize-name.js';

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

/**
 * Missed call → text back → wait for the reply → contact, deal in "new lead", signal resolved.
 *
 * Steps: text-back.* (decide = draft + policy, [approval], send + ledger) →
 * wait for the reply → open-deal.
 */
export const missedCallTextBack = definePlaybook({
  id: 'missed-call-text-back',
  version: 1,
  title: 'Text back a missed call',
  trigger: { signal: MISSED_CALL },
  settings: MissedCallSettings,
  minutesPerRun: 5,
  async run(ctx, input) {
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
      kind: 'sms.send', to: caller, body: draft, context: `missed call ${localClock(calledAt, tenant.timeZone)}`,
      ledger: { category: 'missed_call_text_back', minutesSaved: missedCallTextBack.minutesPerRun, since: calledAt.toISOString(), note: `texted ${caller}` },
    });
    if (sent.status === 'refused') return { summary: `not texted: ${sent.reasons.map((r) => r.detail).join('; ')}` };
    if (sent.status === 'rejected') return { summary: `owner rejected the text: ${sent.reason ?? ''}` };
    if (sent.status === 'expired') return { summary: 'approval expired; caller not texted' };
    if (sent.status !== 'sent') return { summary: `text ${sent.status}: ${sent.error ?? ''}` };
    const responseMs = new Date(sent.sentAt).getTime() - calledAt.getTime();

    const reply = await ctx.waitForReply(caller, ctx.settings.reply_wait_hours * 3_600_000);
    if (!reply) return { summary: `texted ${caller} in ${Math.round(responseMs / 1000)} s; no reply within ${ctx.settings.reply_wait_hours} h` };

    const deal = await ctx.step('open-deal', () =>
      openDealForContact(db, tenant.id, contactId, { title: `Missed call from ${name ?? caller}`, stage: STAGE_NEW_LEAD, source: 'missed_call', currency: tenant.currency }),
    );
    return { summary: `texted ${caller} in ${Math.round(responseMs / 1000)} s; caller replied; deal ${deal.created ? 'opened' : 'updated'} (${STAGE_NEW_LEAD})`, resolved: true };
  },
});

/** "14:05": the local wall-clock time of `at` in `timeZone`. */
function localClock(at: Date, timeZone: string): string {
  const l = localParts(at, timeZone);
  return `${String(l.hour).padStart(2, '0')}:${String(l.minute).padStart(2, '0')}`;
}
