import type { RunContext } from '../engine/run-context.js';
import { holdSlot, offerSlots, readSlotReply, releaseHold, type SlotOffer, type SlotReply } from './booking-api.js';
import { moveBookingToHold, type BookingView } from './booking-store.js';
import { moveEvent } from './calendar-write.js';
import { bookingTexts } from './booking-texts.js';
import { propagateToCalDav } from './write-booking-event.js';

/** What a reschedule needs from the appointment run. */
export interface RescheduleHelpers {
  text: (id: string, body: string, context: string) => Promise<unknown>;
  label: (b: BookingView) => string;
  service: string;
  /** The customer's message that asked to reschedule (may already name a time). */
  replyText?: string;
}

const MAX_ROUNDS = 3;

/**
 * Moves a booking by conversation: new times offered by SMS (the current one left out), the reply
 * read with `readSlotReply` (a time already in the request is read first), a hold on the chosen
 * slot, then booking and calendar event moved and the new time confirmed. Something unclear gets
 * one clarifying question; no answer, "none" or no free time keeps the booking as it was.
 * Steps are prefixed with `id`. Returns the booking as it stands afterwards.
 */
export async function rescheduleByReply(ctx: RunContext<{ reply_wait_hours: number }>, id: string, booking: BookingView, h: RescheduleHelpers): Promise<BookingView> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const texts = bookingTexts(tenant.locale);
  let offer: SlotOffer = await ctx.step(`${id}.offer.0`, () => offerSlots(db, tenant, { now: clock.now(), exclude: [booking.start] }));
  let reply: SlotReply = h.replyText ? readSlotReply(h.replyText, offer, { locale: tenant.locale }) : { kind: 'reschedule' };
  let asked = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (reply.kind === 'reschedule' || reply.kind === 'unclear' || reply.kind === 'none' || reply.kind === 'window') {
      if (reply.kind === 'window') offer = await ctx.step(`${id}.offer.w${round}`, () => offerSlots(db, tenant, { now: clock.now(), from: new Date(reply.kind === 'window' ? reply.from : 0), to: new Date(reply.kind === 'window' ? reply.to : 0), exclude: [booking.start] }));
      if (reply.kind === 'none' && round > 0) break;
      if (offer.slots.length === 0) {
        await h.text(`${id}.no-times.${round}`, texts.noTimes, 'reschedule: no free time');
        break;
      }
      const body = reply.kind === 'unclear' && !asked ? texts.clarify + ' ' + texts.offer(offer, '') : texts.offer(offer, texts.rescheduleIntro);
      if (reply.kind === 'unclear') {
        if (asked) break;
        asked = true;
      }
      await h.text(`${id}.ask.${round}`, body.trim(), 'reschedule');
      const answer = await ctx.waitForReply(booking.address, ctx.settings.reply_wait_hours * 3_600_000);
      if (!answer) break;
      reply = readSlotReply(answer.body, offer, { locale: tenant.locale });
      continue;
    }
    if (reply.kind === 'cancel') break;
    const start = reply.kind === 'pick' ? reply.slot.start : reply.start;
    const held = await ctx.step(`${id}.hold.${round}`, () => holdSlot(db, tenant, { contactId: booking.contactId, start, channel: booking.channel, address: booking.address, key: `${ctx.runId}:${id}:${round}`, now: clock.now() }));
    if (!held.ok) {
      offer = held.alternatives;
      reply = { kind: 'reschedule' };
      await h.text(`${id}.taken.${round}`, texts.slotTaken, 'reschedule: slot taken');
      continue;
    }
    const moved = await ctx.step(`${id}.move.${round}`, async () => {
      try {
        const b = await moveBookingToHold(db, tenant, booking.id, held.holdId);
        if (booking.calendarEventId) await moveEvent(db, tenant.id, booking.calendarEventId, b.start, b.end);
        return b;
      } catch (e) {
        await releaseHold(db, tenant.id, held.holdId);
        throw e;
      }
    });
    const after = { ...moved, calendarEventId: booking.calendarEventId };
    await propagateToCalDav(ctx, `${id}.caldav.${round}`, booking.calendarEventId, { start: after.start, end: after.end });
    await h.text(`${id}.moved.${round}`, texts.moved(h.service, h.label(after)), 'rescheduled');
    return after;
  }
  await h.text(`${id}.kept`, texts.kept(h.label(booking)), 'reschedule: kept');
  return booking;
}
