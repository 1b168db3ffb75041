import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeSms } from '../actions/propose.js';
import { classifyMessageIntent, isAcknowledgement } from '../../awareness/message-intent.js';
import { NEW_LEAD } from '../../awareness/new-lead-watcher.js';
import { DEFAULT_UNANSWERED_HOURS } from '../../awareness/unanswered-watcher.js';
import { answerQuestion } from '../../knowledge/answer.js';
import { CUSTOMER_AUDIENCE } from '../../knowledge/audience.js';
import { quotableName } from '../../records/contact-names.js';
import { bookingTopic, upcomingBookingFor } from '../booking/booking-api.js';
import { contactIsKnown, routeInbound } from '../conversation/inbound-router.js';
import { handToOwner, WAITING_FOR_OWNER } from '../conversation/handoff.js';
import { ACTION_KINDS } from '../../records/action-minutes.js';

/** Signal kind raised at intake for an inbound message that no run was waiting for. */
export const INBOUND_UNROUTED = 'inbound_unrouted';


/** Settings under `playbooks.inbound-message` in tenant.yaml. */
export const InboundMessageSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** Business hours (inside `profile.hours`) a customer's message may wait for a reply before `customer_unanswered`. */
    unanswered_hours: z.number().positive().max(720).default(DEFAULT_UNANSWERED_HOURS),
  })
  .strict();
export type InboundMessageSettingsT = z.infer<typeof InboundMessageSettings>;

/**
 * An inbound message nobody was waiting for never dead-ends. It is classified
 * (`awareness/message-intent.ts`) and routed (`conversation/inbound-router.ts`): cancel /
 * reschedule to the appointment run of the upcoming booking; a booking request or a newcomer's
 * message to a `new_lead` (the lead-response playbook answers and offers times); a known
 * customer's question to a grounded answer under the policy; emergencies, complaints and the rest
 * to the owner (notice + `waiting_for_owner`). Emergencies and complaints also raise an
 * `emergency` (high) / `complaint` signal.
 * Steps: `read`, then one of `lead` | `booking` | `answer.*` | `owner.*` (+ `flag`).
 */
export const inboundMessage = definePlaybook({
  id: 'inbound-message',
  version: 1,
  title: 'Answer or hand over an inbound message',
  trigger: { signal: INBOUND_UNROUTED },
  settings: InboundMessageSettings,
  minutesPerRun: ACTION_KINDS.textReply.minutes,
  async run(ctx, input) {
    const { db, clock } = ctx.deps;
    const tenant = ctx.tenant;
    const address = input.subject;
    const body = String(input.data.body ?? '');
    const messageId = String(input.data.messageId);
    const conversationId = String(input.data.conversationId);
    const contactId = String(input.data.contactId);
    const receivedAt = String(input.data.receivedAt ?? input.occurredAt);

    const read = await ctx.step('read', async () => {
      const { intent, cue } = classifyMessageIntent(body);
      const cv = await db.selectFrom('conversations').select('state').where('id', '=', conversationId).executeTakeFirst();
      const facts = { known: await contactIsKnown(db, tenant.id, contactId), waitingForOwner: cv?.state === WAITING_FOR_OWNER, acknowledgement: isAcknowledgement(body) };
      return { intent, cue, known: facts.known, route: routeInbound(intent, facts) };
    });
    const route = read.route;
    const toOwner = async (reason: string, emergency: boolean) => {
      if (read.intent === 'emergency' || read.intent === 'complaint') {
        await ctx.raise('flag', { kind: read.intent, subject: address, dedupKey: `${read.intent}:${messageId}`, severity: read.intent === 'emergency' ? 'high' : 'normal', data: { contactId, conversationId, messageId, body: body.slice(0, 500), cue: read.cue } });
      }
      const h = await handToOwner(ctx, 'owner', { conversationId, address, contactId, text: body, reason, emergency });
      return { summary: `${read.intent}: handed to the owner (${reason}; ${h.notified ? `notice ${h.code} sent` : 'no owner.phone: no notice'}); conversation waiting for the owner`, resolved: false };
    };

    if (route.to === 'nothing') return { summary: route.reason, resolved: true };
    if (route.to === 'owner') return toOwner(route.reason, route.emergency);
    if (route.to === 'booking') {
      const booking = await ctx.step('booking', () => upcomingBookingFor(db, tenant.id, contactId));
      if (!booking) return toOwner(`asks to ${read.intent} but has no upcoming booking`, false);
      await ctx.send(booking.runId, bookingTopic(booking.bookingId), { type: read.intent, text: body }, `inbound:${messageId}`);
      return { summary: `${read.intent} request handed to booking ${booking.bookingId}`, resolved: true };
    }
    if (route.to === 'new_lead') {
      const lead = await ctx.raise('lead', {
        kind: NEW_LEAD, subject: address, dedupKey: `${NEW_LEAD}:sms:${messageId}`, severity: 'high',
        data: await ctx.step('lead-data', async () => {
          const c = await db.selectFrom('contacts').select(['name', 'name_source', 'name_verified', 'email']).where('id', '=', contactId).executeTakeFirst();
          return { message: body, contactId, contactName: quotableName(c ?? null), phone: address, email: c?.email ?? null, source: 'sms', intent: read.intent, messageId, receivedAt };
        }),
      });
      return { summary: `${read.intent} from ${read.known ? 'a customer' : 'a new number'}: new lead raised (${lead.runIds.length} run${lead.runIds.length === 1 ? '' : 's'})`, resolved: true };
    }
    // A known customer's question: answered from customer-facing knowledge, or handed over.
    const answer = await ctx.step('answer.find', async () => {
      const a = await answerQuestion(db, tenant.id, body, { audience: CUSTOMER_AUDIENCE, now: clock.now() });
      return { status: a.status, text: a.text, confidence: a.confidence };
    });
    if (answer.status !== 'answered') return toOwner('no confident answer in the knowledge', false);
    const out = await proposeSms(ctx, 'answer', {
      kind: 'sms.send', to: address, body: async () => ({ text: answer.text, confidence: answer.confidence, drafter: 'knowledge', byAios: true }),
      ledger: { category: 'inbound_answer', minutesSaved: ACTION_KINDS.textReply.minutes, since: receivedAt }, context: `question by text; they wrote: "${body.slice(0, 80)}"`,
      untrusted: [{ label: `text message from ${address}`, text: body }],
    });
    if (out.status === 'sent') return { summary: `question answered from the knowledge${out.approvedBy ? ` (approved by ${out.approvedBy})` : ''}`, resolved: true };
    if (out.status === 'refused') return { summary: `answer refused by policy: ${out.reasons.map((r) => r.detail).join('; ')}`, resolved: true };
    if (out.status === 'rejected') return toOwner(`owner rejected the drafted answer${out.reason ? `: ${out.reason}` : ''}`, false);
    return { summary: `answer ${out.status}` };
  },
});
