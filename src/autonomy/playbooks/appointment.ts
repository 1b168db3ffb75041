import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import type { RunContext } from '../engine/run-context.js';
import { proposeSms } from '../actions/propose.js';
import { proposeCalendarWrite } from '../actions/propose-calendar-write.js';
import { proposeEmail } from '../actions/propose-email.js';
import { bareAddress, bookingInvite } from '../booking/booking-ics.js';
import { APPOINTMENT_REQUESTED, JOB_DONE, bookingTopic, offerSlots, type BookingRequest } from '../booking/booking-api.js';
import { readBooking, takeHold, updateBooking, moveBookingTo, type BookingView } from '../booking/booking-store.js';
import { cancelEvent, readEvent } from '../booking/calendar-write.js';
import { propagateToCalDav, writeBookingEvent } from '../booking/write-booking-event.js';
import { bookingTexts } from '../booking/booking-texts.js';
import { slotLabel } from '../booking/slot-label.js';
import { rescheduleByReply } from '../booking/reschedule.js';
import type { BookingMessage } from '../booking/booking-messages.js';
import { openDealForContact, setDealStage, STAGE_BOOKED, STAGE_DONE, STAGE_LOST } from '../../records/deals.js';
import { recordLedgerEntry } from '../../records/ledger-entries.js';
import { sanitizeName } from '../../core/sanitize-name.js';
import { ACTION_KINDS } from '../../records/action-minutes.js';

/** Settings under `playbooks.appointment` in tenant.yaml. */
export const AppointmentSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** Reminders, hours before the start (default 24 h and 2 h). */
    reminder_hours: z.array(z.number().positive().max(24 * 14)).max(5).default([24, 2]),
    /** How often the run wakes up to re-check the calendar and the clock while it waits, seconds. */
    check_every_seconds: z.number().positive().max(86_400).default(3600),
    /** Waits between attempts while the CalDAV server is unreachable, seconds (then the booking is given up). */
    calendar_retry_seconds: z.array(z.number().positive().max(86_400)).max(50).default([30, 60, 120, 300, 600, 1800, 3600, 3600, 3600, 3600]),
    /** How long to wait for the customer's answer when they reschedule, hours. */
    reply_wait_hours: z.number().positive().max(720).default(24),
  })
  .strict();
export type AppointmentSettingsT = z.infer<typeof AppointmentSettings>;


const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The appointment lifecycle of one accepted hold: take the hold → deal `booked` → calendar write
 * (policy `calendar.create`, free/busy re-checked first) → confirmation SMS → reminders (re-checked
 * against the calendar) → cancel / reschedule by message → after the end (or `done`): deal
 * `done`, ledger `booking`, `job_done` raised. `no_show`: ledger `no_show`, no `job_done`.
 */
export const appointment = definePlaybook({
  id: 'appointment',
  version: 1,
  title: 'Book, confirm and remind an appointment',
  trigger: { signal: APPOINTMENT_REQUESTED },
  settings: AppointmentSettings,
  minutesPerRun: ACTION_KINDS.bookingBackAndForth.minutes,
  async run(ctx, input) {
    const { db } = ctx.deps;
    const tenant = ctx.tenant;
    const req = input.data as unknown as BookingRequest;
    const texts = bookingTexts(tenant.locale);
    const service = tenant.booking.service_name;
    const name = sanitizeName(req.name ?? null);
    const label = (b: BookingView) => slotLabel(new Date(b.start), tenant.locale, tenant.timeZone);
    const text = (id: string, body: string, context: string) =>
      E164.test(req.address) ? proposeSms(ctx, id, { kind: 'sms.send', to: req.address, body, context }) : Promise.resolve(null);

    let booking = await ctx.step('take-hold', () => takeHold(db, tenant.id, req.holdId, ctx.runId, { ...req, name }));
    if (!booking) {
      const offer = await ctx.step('offer-again', async () => offerSlots(db, tenant, { now: ctx.deps.clock.now() }));
      await text('hold-gone', offer.slots.length ? texts.offer(offer, texts.slotTaken) : `${texts.slotTaken} ${texts.noTimes}`, 'hold expired before booking');
      return { summary: `hold ${req.holdId} was gone (expired or taken); new times offered` };
    }
    const b0 = booking;
    const deal = await ctx.step('deal', async () => {
      const dealId = req.dealId ?? (await openDealForContact(db, tenant.id, b0.contactId, { title: `${service} for ${name ?? b0.address}`, stage: STAGE_BOOKED, source: 'booking', currency: tenant.currency })).dealId;
      await setDealStage(db, tenant.id, dealId, STAGE_BOOKED);
      await updateBooking(db, tenant.id, b0.id, { dealId });
      return dealId;
    });

    // The calendar write: through the policy, after a last free/busy check of the slot.
    const go = await proposeCalendarWrite(ctx, 'calendar', { kind: 'calendar.create', recipient: req.address, summary: `${service} ${label(booking)} for ${name ?? req.address}` });
    if (go.status !== 'go') {
      await ctx.step('calendar.refused', () => updateBooking(db, tenant.id, b0.id, { status: 'cancelled' }));
      return { summary: `booking not written: calendar.create ${go.status}` };
    }
    const email = req.email ?? (req.address.includes('@') ? req.address : null);
    const cal = await writeBookingEvent(ctx, b0, {
      summary: `${service}: ${name ?? req.address}`, description: [req.need, req.address].filter(Boolean).join('\n'), location: req.location ?? null,
      attendee: email ? { email, ...(name ? { name } : {}) } : null,
    }, { retrySeconds: ctx.settings.calendar_retry_seconds, onPending: () => text('pending', texts.pending(service, label(b0)), 'calendar unreachable: pending') });
    if (cal.status === 'unreachable' || cal.status === 'failed') {
      await ctx.step('calendar.gave-up', () => updateBooking(db, tenant.id, b0.id, { status: 'cancelled' }));
      await text('calendar.failed', texts.notConfirmed(service, label(b0)), `calendar ${cal.status}`);
      return { summary: `booking ${b0.id} not confirmed: calendar ${cal.status} (${cal.error})` };
    }
    const written = cal.status === 'written' ? cal.event : null;
    if (!written) {
      await ctx.step('calendar.taken', () => updateBooking(db, tenant.id, b0.id, { status: 'cancelled' }));
      const offer = await ctx.step('calendar.offer', async () => offerSlots(db, tenant, { now: ctx.deps.clock.now(), exclude: [b0.start] }));
      await text('calendar.apology', offer.slots.length ? texts.offer(offer, texts.slotTaken) : `${texts.slotTaken} ${texts.noTimes}`, 'slot taken on the calendar');
      await ctx.step('deal.lost-slot', () => setDealStage(db, tenant.id, deal, STAGE_LOST));
      return { summary: `slot ${b0.start} was taken on the calendar; new times offered` };
    }
    booking = { ...booking, status: 'confirmed', calendarEventId: written.id };
    await text('confirm', texts.confirmed(service, label(booking), tenant.name), `booked ${label(booking)}`);
    const mailer = ctx.deps.channels.email;
    if (email && mailer?.from) {
      const b1 = booking;
      const ics = bookingInvite({
        uid: written.uid, summary: `${service}: ${tenant.name}`, start: b1.start, end: b1.end, description: req.need ?? undefined, location: req.location ?? null,
        organizer: bareAddress(mailer.from), attendee: { email, ...(name ? { name } : {}) },
      }, new Date(await ctx.step('invite-stamp', async () => ctx.deps.clock.now().toISOString())));
      await proposeEmail(ctx, 'confirm-email', { to: email, subject: texts.emailSubject(service, label(b1), tenant.name), body: texts.confirmed(service, label(b1), tenant.name), ics, context: `booked ${label(b1)}` });
    }

    return lifecycle(ctx, booking, deal, { text, label, service });
  },
});

type Texter = (id: string, body: string, context: string) => Promise<unknown>;

/** Reminders, messages and the end of the job, until the booking is over. */
async function lifecycle(
  ctx: RunContext<AppointmentSettingsT>,
  first: BookingView,
  dealId: string,
  h: { text: Texter; label: (b: BookingView) => string; service: string },
): Promise<{ summary: string; resolved?: boolean }> {
  const { db } = ctx.deps;
  const tenant = ctx.tenant;
  const texts = bookingTexts(tenant.locale);
  let booking = first;
  const bookedAt = (await ctx.now('booked-at')).getTime();
  const sent = new Set<string>();
  for (let i = 0; ; i++) {
    // Recorded, so a replay after a crash takes the same branches.
    const now = (await ctx.now(`now.${i}`)).getTime();
    const start = new Date(booking.start).getTime();
    const end = new Date(booking.end).getTime();
    const due = ctx.settings.reminder_hours
      .map((hrs) => ({ hrs, at: start - hrs * 3_600_000 }))
      .filter((r) => r.at >= bookedAt && !sent.has(`${booking.start}:${r.hrs}`))
      .sort((a, b) => a.at - b.at)[0];
    const nextAt = due && due.at < start ? due.at : end;
    if (now >= nextAt) {
      // Re-read the calendar before acting: a cancelled event ends the booking, a moved one moves it.
      const cal = await ctx.step(`check.${i}`, async () => {
        const ev = booking.calendarEventId ? await readEvent(db, tenant.id, booking.calendarEventId) : null;
        if (!ev || ev.status === 'cancelled') {
          await updateBooking(db, tenant.id, booking.id, { status: 'cancelled' });
          return { kind: 'cancelled' as const };
        }
        if (ev.start !== booking.start || ev.end !== booking.end) return { kind: 'moved' as const, booking: await moveBookingTo(db, tenant, booking.id, new Date(ev.start), new Date(ev.end)) };
        return { kind: 'same' as const };
      });
      if (cal.kind === 'cancelled') {
        await ctx.step(`deal.lost.${i}`, () => setDealStage(db, tenant.id, dealId, STAGE_LOST));
        return { summary: `event of booking ${booking.id} was cancelled on the calendar; no reminder sent`, resolved: true };
      }
      if (cal.kind === 'moved') {
        booking = { ...cal.booking, calendarEventId: booking.calendarEventId, status: booking.status };
        continue;
      }
      if (due && nextAt === due.at) {
        sent.add(`${booking.start}:${due.hrs}`);
        await h.text(`reminder.${i}`, texts.reminder(h.service, h.label(booking), tenant.name), `reminder ${due.hrs} h before`);
        continue;
      }
      return finish(ctx, booking, dealId, 'done', 'the appointment ended');
    }
    const wait = Math.min(nextAt - now, ctx.settings.check_every_seconds * 1000);
    const msg = await ctx.waitFor<BookingMessage>(bookingTopic(booking.id), wait, due && nextAt === due.at ? `reminder ${due.hrs} h before` : 'end of appointment');
    if (!msg) continue;
    if (msg.type === 'done' || msg.type === 'no_show') return finish(ctx, booking, dealId, msg.type === 'done' ? 'done' : 'no_show', 'the owner said so');
    if (msg.type === 'cancel') {
      await ctx.step(`cancel.${i}`, async () => {
        if (booking.calendarEventId) await cancelEvent(db, tenant.id, booking.calendarEventId);
        await updateBooking(db, tenant.id, booking.id, { status: 'cancelled' });
        await setDealStage(db, tenant.id, dealId, STAGE_LOST);
      });
      await propagateToCalDav(ctx, `cancel.caldav.${i}`, booking.calendarEventId, { cancel: true });
      await h.text(`cancel-ack.${i}`, texts.cancelled(h.service, h.label(booking)), 'customer cancelled');
      return { summary: `booking ${booking.id} cancelled by the customer`, resolved: true };
    }
    if (msg.type === 'reschedule') booking = await rescheduleByReply(ctx, `resched.${i}`, booking, { text: h.text, label: h.label, service: h.service, replyText: msg.text });
  }
}

/** The job is over: booking and deal closed, ledger entry, and (when done) `job_done` raised. */
async function finish(ctx: RunContext<AppointmentSettingsT>, booking: BookingView, dealId: string, how: 'done' | 'no_show', why: string): Promise<{ summary: string; resolved: boolean }> {
  const { db } = ctx.deps;
  const tenant = ctx.tenant;
  const value = Math.round((tenant.profile.average_job_value ?? 0) * 100);
  await ctx.step(`finish.${how}`, async () => {
    const current = await readBooking(db, tenant.id, booking.id);
    if (current && current.status !== 'done' && current.status !== 'no_show') await updateBooking(db, tenant.id, booking.id, { status: how });
    await setDealStage(db, tenant.id, dealId, how === 'done' ? STAGE_DONE : STAGE_LOST);
    await recordLedgerEntry(db, { tenantId: tenant.id, runId: ctx.runId, category: how === 'done' ? 'booking' : 'no_show', valueCents: how === 'done' ? value : 0, minutesSaved: how === 'done' ? appointment.minutesPerRun : 0, note: `${booking.start} ${booking.address}` });
  });
  if (how === 'no_show') return { summary: `booking ${booking.id}: no-show (${why})`, resolved: true };
  await ctx.raise('job-done', {
    kind: JOB_DONE, subject: booking.address, dedupKey: `job_done:${booking.id}`,
    data: { bookingId: booking.id, contactId: booking.contactId, channel: booking.channel, address: booking.address, name: booking.name },
  });
  return { summary: `booking ${booking.id} done (${why}); job_done raised`, resolved: true };
}
