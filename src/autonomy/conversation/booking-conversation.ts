import type { RunContext } from '../engine/run-context.js';
import { proposeSms, type SmsProposal } from '../actions/propose.js';
import {
  APPOINTMENT_REQUESTED, holdSlot, offerSlots, readSlotReply,
  type BookingRequest, type SlotOffer, type SlotReply,
} from '../booking/booking-api.js';
import { answerQuestion } from '../../knowledge/answer.js';
import { CUSTOMER_AUDIENCE } from '../../knowledge/audience.js';
import { detectLanguage } from '../../knowledge/text.js';
import { firstName } from '../../core/sanitize-name.js';
import { joinParts, texts, type ConversationLanguage } from './booking-texts.js';

/** Signal kind raised when a lead needs the owner (unclear twice, no free time, no way to reach them). */
export const LEAD_NEEDS_OWNER = 'lead_needs_owner';

/** Most customer replies one conversation reads before it hands the lead to the owner. */
export const MAX_ROUNDS = 6;

/** Who the conversation is with and what they said first. */
export interface BookingConversationInput {
  /** The customer's phone (E.164): every text goes there, replies are read from there. */
  address: string;
  contactId: string;
  /** Quotable name (sanitised) or null. */
  name: string | null;
  email?: string | null;
  /** The customer's first message (a web lead's message, a missed caller's reply), or null. */
  message: string | null;
  /** ISO 8601: when the first message arrived (relative words in it are read from here). */
  messageAt: string;
  /** Greet the customer as the business first (a lead's first text; not after a text-back). */
  greet: boolean;
  /** Deal to move on booking / loss (`new lead` → `booked` / `lost`). */
  dealId: string | null;
  /** Ledger entry of the FIRST text (speed-to-lead), e.g. `{ category: 'lead_response', since: arrival }`. */
  ledger?: SmsProposal['ledger'];
  /** How long to wait for each reply, in milliseconds. */
  replyWaitMs: number;
  /** Prefix of every step id of the conversation (stable per playbook version), e.g. `conv`. */
  stepPrefix: string;
}

/** How the conversation ended. */
export type BookingConversationOutcome =
  | { status: 'requested'; holdId: string; start: string; signalId: string; rounds: number }
  | { status: 'owner'; reason: string; rounds: number }
  | { status: 'lost'; rounds: number }
  | { status: 'no_reply'; rounds: number }
  | { status: 'not_sent'; detail: string; rounds: number };

/** One line for `runs.summary`. */
export function describeOutcome(o: BookingConversationOutcome): string {
  switch (o.status) {
    case 'requested': return `slot ${o.start} held (${o.holdId}); appointment requested after ${o.rounds} repl${o.rounds === 1 ? 'y' : 'ies'}`;
    case 'owner': return `handed to the owner: ${o.reason}`;
    case 'lost': return 'customer not interested; deal lost';
    case 'no_reply': return o.rounds === 0 ? 'times offered; no reply' : `no reply after ${o.rounds} repl${o.rounds === 1 ? 'y' : 'ies'}`;
    case 'not_sent': return `not texted: ${o.detail}`;
  }
}

/** The conversation's language: French when the customer writes French, else the business's locale. */
export function conversationLanguage(message: string | null, locale: string): ConversationLanguage {
  if (message && detectLanguage(message) === 'fr') return 'fr';
  return locale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const NOT_INTERESTED = /\b(not interested|no thanks|no thank you|pas int[ée]ress[ée]e?s?|non merci)\b/i;

/**
 * The booking conversation, a sub-procedure of a playbook body: ONE text that answers what the
 * customer asked (customer-facing knowledge, extractive offline; unknown → "the owner will follow
 * up" and a knowledge gap) with three bookable times, then each reply read with `readSlotReply`:
 * a pick or a time is held (`holdSlot`) and handed to the `appointment` playbook
 * (`APPOINTMENT_REQUESTED`); a time taken meanwhile gets an apology and new times; a window gets
 * times inside it; "none" other times; the first unclear reply one clarifying question, the second
 * a `lead_needs_owner` signal; "not interested" closes the deal as lost. Never a guessed booking.
 * Every text goes through `proposeSms` (policy, guard, quiet hours, approvals). Step ids are
 * `<prefix>.<what>.<round>`; at most {@link MAX_ROUNDS} replies are read.
 */
export async function runBookingConversation(ctx: RunContext, c: BookingConversationInput): Promise<BookingConversationOutcome> {
  const { db } = ctx.deps;
  const tenant = ctx.tenant;
  const p = c.stepPrefix;
  const lang = conversationLanguage(c.message, tenant.locale);
  const t = texts(lang);
  const readOpts = { locale: lang === 'fr' ? 'fr' : tenant.locale };
  const declined: string[] = [];

  const send = async (round: number, body: string, ledger?: SmsProposal['ledger']): Promise<string | null> => {
    const out = await proposeSms(ctx, `${p}.text.${round}`, { kind: 'sms.send', to: c.address, body: async () => ({ text: body, drafter: 'booking-conversation', byAios: true }), context: 'booking conversation', ledger,
      untrusted: c.message ? [{ label: `message from ${c.address}`, text: c.message }] : [] });
    return out.status === 'sent' ? null : out.status === 'refused' ? out.reasons.map((r) => r.detail).join('; ') : out.status;
  };
  /** A text in the middle of the conversation that could not go out (policy, opt-out): the owner takes over. */
  const sendOrOwner = async (round: number, body: string): Promise<BookingConversationOutcome | null> => {
    const failed = await send(round, body);
    return failed ? toOwner(round, `text not sent (${failed})`, null) : null;
  };
  const toOwner = async (round: number, reason: string, say: string | null): Promise<BookingConversationOutcome> => {
    await ctx.raise(`${p}.owner.${round}`, {
      kind: LEAD_NEEDS_OWNER, subject: c.address, severity: 'high', dedupKey: `${LEAD_NEEDS_OWNER}:${ctx.runId}`,
      data: { reason, contactId: c.contactId, phone: c.address, name: c.name, message: c.message, runId: ctx.runId, dealId: c.dealId },
    });
    if (say) await send(round, say);
    return { status: 'owner', reason, rounds: round };
  };

  // Round 0, one step: what they asked and three times (a message that names a time narrows the offer).
  const slotsFor = (window?: { from: string; to: string }) => offerSlots(db, tenant, {
    now: ctx.deps.clock.now(), exclude: [...declined], ...(window ? { from: new Date(window.from), to: new Date(window.to) } : {}),
  });
  const offerStep = (id: string, window?: { from: string; to: string }): Promise<SlotOffer> => ctx.step(id, () => slotsFor(window));
  const first = await ctx.step(`${p}.offer.0`, async () => {
    const msg = c.message?.trim() ?? '';
    const read = msg ? safeRead(msg, { slots: [], timeZone: tenant.timeZone, offeredAt: c.messageAt }, readOpts) : { kind: 'unclear' as const };
    const window = read.kind === 'window' ? { from: read.from, to: read.to } : read.kind === 'time' ? { from: read.start, to: new Date(new Date(read.start).getTime() + 12 * 3_600_000).toISOString() } : null;
    // A message that is only about timing is not a question for the knowledge.
    const asked = msg !== '' && !window && !NOT_INTERESTED.test(msg);
    const [answer, inWindow] = await Promise.all([
      asked ? answerQuestion(db, tenant.id, msg, { audience: CUSTOMER_AUDIENCE, language: lang, now: ctx.deps.clock.now() }) : null,
      slotsFor(window ?? undefined),
    ]);
    const outsideWindow = inWindow.slots.length === 0 && !!window;
    const offer = outsideWindow ? await slotsFor() : inWindow;
    return { ...offer, answer: answer ? { status: answer.status, text: answer.text } : null, outsideWindow };
  });
  const { answer: firstAnswer, outsideWindow, ...firstOffer } = first;
  let current: SlotOffer = firstOffer;
  const answerLine = firstAnswer ? (firstAnswer.status === 'answered' ? firstAnswer.text : t.ownerFollowsUp) : null;
  const opening = joinParts(
    c.greet ? t.greeting(tenant.name, firstName(c.name)) : null,
    answerLine,
    outsideWindow && current.slots.length > 0 ? t.nothingThen : null,
    current.slots.length > 0 ? t.offer(current.slots) : t.noSlots,
  );
  const notSent = await send(0, opening, c.ledger);
  if (notSent) return { status: 'not_sent', detail: notSent, rounds: 0 };
  if (current.slots.length === 0) return toOwner(0, 'no free time to offer', null);

  let unclear = 0;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const reply = await ctx.waitForReply(c.address, c.replyWaitMs);
    if (!reply) return { status: 'no_reply', rounds: round - 1 };
    const offered = current;
    const read = await ctx.step(`${p}.read.${round}`, async () => (NOT_INTERESTED.test(reply.body) ? ({ kind: 'cancel' } as SlotReply) : safeRead(reply.body, offered, readOpts)));

    if (read.kind === 'pick' || read.kind === 'time') {
      const start = read.kind === 'pick' ? read.slot.start : read.start;
      const end = read.kind === 'pick' ? read.slot.end : undefined;
      const hold = await ctx.step(`${p}.hold.${round}`, () =>
        holdSlot(db, tenant, { contactId: c.contactId, start, end, channel: 'sms', address: c.address, key: `${ctx.runId}:hold:${round}`, now: ctx.deps.clock.now() }));
      if (hold.ok) {
        const request: BookingRequest = { holdId: hold.holdId, contactId: c.contactId, channel: 'sms', address: c.address, name: c.name, email: c.email ?? null, need: c.message, dealId: c.dealId };
        const raised = await ctx.raise(`${p}.book.${round}`, { kind: APPOINTMENT_REQUESTED, subject: c.address, dedupKey: `appointment:${hold.holdId}`, data: request as unknown as Record<string, unknown> });
        return { status: 'requested', holdId: hold.holdId, start: hold.start, signalId: raised.signalId, rounds: round };
      }
      current = hold.alternatives;
      if (current.slots.length === 0) return toOwner(round, `requested ${start}, ${hold.reason}; no other free time`, t.handedToOwner);
      const stuck = await sendOrOwner(round, joinParts(hold.reason === 'taken' ? t.taken : t.nothingThen, t.offer(current.slots)));
      if (stuck) return stuck;
      continue;
    }
    if (read.kind === 'cancel') {
      await ctx.step(`${p}.lost.${round}`, () => markDealLost(ctx, c.dealId));
      await send(round, t.closed);
      return { status: 'lost', rounds: round };
    }
    if (read.kind === 'unclear') {
      unclear++;
      if (unclear >= 2) return toOwner(round, `could not read two replies (last: "${reply.body.slice(0, 200)}")`, t.handedToOwner);
      const stuck = await sendOrOwner(round, t.clarify(offered.slots));
      if (stuck) return stuck;
      continue;
    }
    // window / none / reschedule: new times, leaving out the ones just declined.
    declined.push(...offered.slots.map((s) => s.start));
    const window = read.kind === 'window' ? { from: read.from, to: read.to } : undefined;
    current = await offerStep(`${p}.offer.${round}`, window);
    let lead = read.kind === 'window' ? null : t.otherTimes;
    if (current.slots.length === 0 && window) {
      current = await offerStep(`${p}.offer.${round}b`);
      lead = t.nothingThen;
    }
    if (current.slots.length === 0) return toOwner(round, 'no free time to offer', t.handedToOwner);
    const stuck = await sendOrOwner(round, joinParts(lead, t.offer(current.slots)));
    if (stuck) return stuck;
  }
  return toOwner(MAX_ROUNDS + 1, `no booking after ${MAX_ROUNDS} replies`, t.handedToOwner);
}

/** `readSlotReply`, with a parser failure read as `unclear` (never a guess). */
function safeRead(text: string, offer: SlotOffer, opts: { locale: string }): SlotReply {
  try {
    return readSlotReply(text, offer, opts);
  } catch {
    return { kind: 'unclear' };
  }
}

async function markDealLost(ctx: RunContext, dealId: string | null): Promise<void> {
  if (!dealId) return;
  await ctx.deps.db.updateTable('deals').set({ stage: 'lost', last_activity_at: ctx.deps.clock.now() }).where('id', '=', dealId).where('tenant_id', '=', ctx.tenant.id).execute();
}
