import type { RunContext } from '../engine/run-context.js';
import { enqueueOutboxRow, deliverOutbox } from '../../connection/outbox/outbox.js';
import { uidFor } from '../../connection/calendar/caldav-actions.js';
import { PermanentError, isRetryable } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { updateBooking, type BookingView } from './booking-store.js';
import { calendarStillFree, writeBuiltinEvent, type BookingEvent, type EventState } from './calendar-write.js';

/** How the calendar write of a booking ended. */
export type CalendarWriteOutcome =
  | { status: 'written'; event: EventState; where: 'caldav' | 'builtin' }
  /** The slot is busy on the calendar now (someone put an event there meanwhile). */
  | { status: 'taken' }
  /** The CalDAV server stayed unreachable through every retry, or refused the write. */
  | { status: 'unreachable' | 'failed'; error: string };

/**
 * Puts a booking on the business's calendar, once (UID from `runId:calendar`), after a last
 * free/busy check of the slot. With a CalDAV connection (and the `calendar` channel) the event is
 * PUT there through the outbox, the customer as ATTENDEE; a network failure is retried durably
 * after each of `retrySeconds` (the run sleeps; `onPending` runs once, at the first failure, to
 * tell the customer the time is pending). Without CalDAV it goes on the built-in calendar.
 * The booking becomes `confirmed` with its event id when the write succeeds.
 */
export async function writeBookingEvent(
  ctx: RunContext,
  booking: BookingView,
  ev: BookingEvent,
  opts: { retrySeconds: number[]; onPending: () => Promise<unknown> },
): Promise<CalendarWriteOutcome> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const key = `${ctx.runId}:calendar`;
  const uid = uidFor(key);
  const target = await ctx.step('calendar.target', async () => {
    const row = await db.selectFrom('connections').select('id').where('tenant_id', '=', tenant.id).where('kind', '=', 'caldav').where('status', '!=', 'disabled').orderBy('created_at').executeTakeFirst();
    return row?.id ?? null;
  });
  const mine = async () => db.selectFrom('calendar_events').select('id').where('tenant_id', '=', tenant.id).where('uid', '=', uid).executeTakeFirst();

  if (!target || !ctx.deps.channels.calendar) {
    const event = await ctx.step('calendar.write', async () => {
      if (!(await mine()) && !(await calendarStillFree(db, tenant.id, booking))) return null;
      const e = await writeBuiltinEvent(db, tenant, booking, ev, key);
      await updateBooking(db, tenant.id, booking.id, { status: 'confirmed', calendarEventId: e.id });
      return e;
    });
    return event ? { status: 'written', event, where: 'builtin' } : { status: 'taken' };
  }

  for (let n = 0; ; n++) {
    try {
      const event = await ctx.step(`calendar.caldav.${n}`, async () => {
        if (!(await mine()) && !(await calendarStillFree(db, tenant.id, booking))) return null;
        const input = {
          summary: ev.summary, start: booking.start, end: booking.end, description: ev.description, ...(ev.location ? { location: ev.location } : {}),
          attendees: ev.attendee ? [{ email: ev.attendee.email, ...(ev.attendee.name ? { name: ev.attendee.name } : {}) }] : [],
        };
        const row = await enqueueOutboxRow(db, {
          tenantId: tenant.id, runId: ctx.runId, stepId: 'calendar', idempotencyKey: key, kind: 'calendar.create', channel: 'calendar', recipient: booking.address,
          payload: { from: 'aios', body: ev.summary, connectionId: target, action: 'calendar.create', key, input },
        });
        const res = await deliverOutbox(db, ctx.deps.channels, row, () => clock.now());
        if (res.status !== 'sent') throw new PermanentError(`calendar write ${res.status}: ${res.error ?? ''}`, { fix: 'Check the CalDAV connection (aios connections) and book the customer by hand.' });
        // The event as the next CalDAV sync will see it (same tenant, source and href).
        const path = decodeURIComponent(new URL(res.providerRef ?? key, 'http://x').pathname);
        const saved = await db
          .insertInto('calendar_events')
          .values({
            id: newId('ev'), tenant_id: tenant.id, connection_id: target, source: 'caldav', external_id: path, uid, summary: ev.summary, description: ev.description,
            location: ev.location ?? null, starts_at: booking.start, ends_at: booking.end, time_zone: tenant.timeZone, status: 'confirmed',
            attendees: JSON.stringify(ev.attendee ? [{ email: ev.attendee.email.toLowerCase(), name: ev.attendee.name, partstat: 'NEEDS-ACTION', role: 'REQ-PARTICIPANT' }] : []),
          })
          .onConflict((oc) => oc.columns(['tenant_id', 'source', 'external_id']).doUpdateSet({ starts_at: booking.start, ends_at: booking.end, status: 'confirmed', updated_at: new Date() }))
          .returning(['id', 'uid', 'starts_at', 'ends_at', 'status'])
          .executeTakeFirstOrThrow();
        await updateBooking(db, tenant.id, booking.id, { status: 'confirmed', calendarEventId: saved.id });
        return { id: saved.id, uid: saved.uid, start: saved.starts_at.toISOString(), end: saved.ends_at.toISOString(), status: saved.status };
      });
      return event ? { status: 'written', event, where: 'caldav' } : { status: 'taken' };
    } catch (err) {
      const wait = opts.retrySeconds[n];
      const error = err instanceof Error ? err.message : String(err);
      if (!isRetryable(err)) return { status: 'failed', error };
      if (wait === undefined) return { status: 'unreachable', error };
      if (n === 0) await opts.onPending();
      await ctx.sleepFor(`calendar.backoff.${n}`, wait * 1000, 'the calendar server (retrying)');
    }
  }
}

/**
 * Carries a cancel or a move of a booking's event to its CalDAV server (`calendar.cancel` keeps
 * the event with STATUS:CANCELLED; `calendar.update` moves it), through the `calendar` outbox
 * channel under `runId:id`. Nothing to do for a built-in event. Retried (step attempts) while the
 * server is unreachable.
 */
export async function propagateToCalDav(ctx: RunContext, id: string, eventId: string | null, change: { cancel: true } | { start: string; end: string }): Promise<void> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  if (!eventId || !ctx.deps.channels.calendar) return;
  await ctx.step(id, async () => {
    const ev = await db.selectFrom('calendar_events').select(['source', 'connection_id', 'uid', 'external_id']).where('tenant_id', '=', tenant.id).where('id', '=', eventId).executeTakeFirst();
    if (!ev || ev.source !== 'caldav' || !ev.connection_id) return;
    const action = 'cancel' in change ? 'calendar.cancel' : 'calendar.update';
    const input = 'cancel' in change ? { uid: ev.uid, href: ev.external_id, mode: 'cancel' } : { uid: ev.uid, href: ev.external_id, start: change.start, end: change.end };
    const key = `${ctx.runId}:${id}`;
    const row = await enqueueOutboxRow(db, {
      tenantId: tenant.id, runId: ctx.runId, stepId: id, idempotencyKey: key, kind: action, channel: 'calendar', recipient: ev.uid,
      payload: { from: 'aios', body: action, connectionId: ev.connection_id, action, key, input },
    });
    await deliverOutbox(db, ctx.deps.channels, row, () => clock.now());
  }, { attempts: 6, backoffSeconds: 5 });
}
