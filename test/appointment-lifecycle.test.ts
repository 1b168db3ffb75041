import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { startHarness, BOOKING_POLICY, eventually, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';
import { newId } from '../src/core/ids.js';
import { APPOINTMENT_REQUESTED, bookingTopic, holdSlot, type BookingRequest } from '../src/autonomy/booking/booking-api.js';
import type { TenantInfo } from '../src/records/tenants.js';

/**
 * The appointment playbook end to end in-process: an accepted hold becomes a booking on the
 * calendar with a confirmation text, reminders 24 h and 2 h before (re-checked against the
 * calendar), cancel / reschedule by message, and after the end: deal done, ledger, job_done.
 * The clock is a ManualClock; the run wakes every 0.2 s to look at it (`check_every_seconds`).
 */
const PHONE = '+14165550400';
const POLICY = BOOKING_POLICY;
const TENANT = `slug: ace
name: Ace Plumbing
time_zone: America/Toronto
locale: en-CA
phone: "${PHONE}"
owner:
  name: Sam
  phone: "+14165550499"
profile:
  tone: friendly
  average_job_value: 350
  hours: { mon: ["09:00","17:00"], tue: ["09:00","17:00"], wed: ["09:00","17:00"], thu: ["09:00","17:00"], fri: ["09:00","17:00"], sat: closed, sun: closed }
booking:
  service_name: Plumbing visit
  duration_minutes: 60
  min_notice_minutes: 60
playbooks:
  appointment:
    check_every_seconds: 0.2
`;
const clock = new ManualClock('2026-12-01T14:00:00Z'); // Tue 09:00 in Toronto
let h: Harness;
let tenant: TenantInfo;

beforeAll(async () => {
  h = await startHarness([{ slug: 'ace', phone: PHONE, policy: POLICY, files: { 'tenant.yaml': TENANT } }], { clock });
  tenant = h.aios.tenants.bySlugOrThrow('ace');
});
afterAll(() => h?.stop());

/** A customer with a hold on `start`, and the appointment run started for it as a run would. */
async function book(phone: string, start: string, extra: Partial<BookingRequest> = {}): Promise<{ bookingId: string; runId: string; contactId: string }> {
  const contactId = newId('ct');
  await h.aios.db.insertInto('contacts').values({ id: contactId, tenant_id: tenant.id, phone, name: 'Ana' }).execute();
  const held = await holdSlot(h.aios.db, tenant, { contactId, start, channel: 'sms', address: phone, key: `test:${phone}`, now: clock.now() });
  if (!held.ok) throw new Error(`hold failed: ${held.reason}`);
  const data: BookingRequest = { holdId: held.holdId, contactId, channel: 'sms', address: phone, name: 'Ana', need: 'leaking tap', ...extra };
  const signal = await h.aios.db
    .insertInto('signals')
    .values({ id: newId('sig'), tenant_id: tenant.id, kind: APPOINTMENT_REQUESTED, subject: phone, dedup_key: `appointment:${held.holdId}`, data: JSON.stringify(data) })
    .returningAll()
    .executeTakeFirstOrThrow();
  const [runId] = await h.aios.host.dispatchSignal(signal);
  await eventually(async () => (await h.aios.db.selectFrom('bookings').select('status').where('id', '=', held.holdId).executeTakeFirst())?.status === 'confirmed', 10_000, 'booking confirmed');
  return { bookingId: held.holdId, runId: runId!, contactId };
}

const textsTo = (to: string) => h.sink.messages.filter((m) => m.to === to).map((m) => m.body);
const run = (id: string) => h.aios.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('appointment playbook', () => {
  it('books, writes the calendar, confirms, reminds 24 h and 2 h before, and after the end closes the deal and raises job_done', async () => {
    clock.set('2026-12-01T14:00:00Z');
    const start = '2026-12-03T15:00:00.000Z'; // Thu 10:00
    const customer = '+14165550401';
    const { bookingId, runId, contactId } = await book(customer, start);

    const ev = await h.aios.db.selectFrom('calendar_events').selectAll().where('tenant_id', '=', tenant.id).where('external_id', '=', bookingId).executeTakeFirstOrThrow();
    expect(ev).toMatchObject({ source: 'builtin', status: 'confirmed', summary: 'Plumbing visit: Ana' });
    expect(ev.starts_at.toISOString()).toBe(start);
    const confirm = await eventually(async () => textsTo(customer)[0], 5000, 'confirmation SMS');
    expect(confirm).toBe('Confirmed: Plumbing visit on Thu, Dec 3, 10:00 a.m. with Ace Plumbing. Reply RESCHEDULE to change the time or CANCEL to cancel.');
    const deal = await h.aios.db.selectFrom('deals').selectAll().where('contact_id', '=', contactId).executeTakeFirstOrThrow();
    expect(deal.stage).toBe('booked');

    // Not yet: a day and a half before.
    await new Promise((r) => setTimeout(r, 500));
    expect(textsTo(customer)).toHaveLength(1);
    clock.set('2026-12-02T15:00:01Z'); // 24 h before
    expect(await eventually(async () => textsTo(customer)[1], 5000, '24 h reminder')).toBe('Reminder: Plumbing visit with Ace Plumbing on Thu, Dec 3, 10:00 a.m. Reply RESCHEDULE or CANCEL if that no longer works.');
    clock.set('2026-12-03T13:00:01Z'); // 2 h before
    await eventually(async () => textsTo(customer)[2], 5000, '2 h reminder');
    expect(textsTo(customer)[2]).toMatch(/^Reminder: /);

    clock.set('2026-12-03T16:00:01Z'); // after the end
    await eventually(async () => (await run(runId)).status === 'completed', 5000, 'run completed');
    expect((await run(runId)).summary).toMatch(/done .*job_done raised/);
    expect((await h.aios.db.selectFrom('bookings').select('status').where('id', '=', bookingId).executeTakeFirstOrThrow()).status).toBe('done');
    expect((await h.aios.db.selectFrom('deals').select('stage').where('id', '=', deal.id).executeTakeFirstOrThrow()).stage).toBe('done');
    const ledger = await h.aios.db.selectFrom('ledger').selectAll().where('run_id', '=', runId).where('category', '=', 'booking').executeTakeFirstOrThrow();
    expect(Number(ledger.value_cents)).toBe(35_000);
    const jobDone = await h.aios.db.selectFrom('signals').selectAll().where('tenant_id', '=', tenant.id).where('kind', '=', 'job_done').executeTakeFirstOrThrow();
    expect(jobDone).toMatchObject({ subject: customer, dedup_key: `job_done:${bookingId}` });
    expect(jobDone.data).toMatchObject({ bookingId, contactId, channel: 'sms', address: customer, name: 'Ana' });
    expect(textsTo(customer)).toHaveLength(3);
  });

  it('a cancel message cancels the event, loses the deal, acknowledges, and sends no reminder', async () => {
    clock.set('2026-12-07T14:00:00Z'); // Mon 09:00
    const customer = '+14165550402';
    const { bookingId, runId } = await book(customer, '2026-12-09T15:00:00.000Z');
    await eventually(async () => textsTo(customer)[0], 5000, 'confirmation');
    await DBOS.send(runId, { type: 'cancel', text: 'cancel please' }, bookingTopic(bookingId));
    await eventually(async () => (await run(runId)).status === 'completed', 5000, 'run completed');
    expect(textsTo(customer)[1]).toBe('Your Plumbing visit on Wed, Dec 9, 10:00 a.m. is cancelled. Text us any time to book again.');
    const ev = await h.aios.db.selectFrom('calendar_events').select('status').where('external_id', '=', bookingId).executeTakeFirstOrThrow();
    expect(ev.status).toBe('cancelled');
    clock.set('2026-12-08T15:00:01Z');
    await new Promise((r) => setTimeout(r, 500));
    expect(textsTo(customer)).toHaveLength(2);
    // The slot is free again.
    const again = await holdSlot(h.aios.db, tenant, { contactId: (await h.aios.db.selectFrom('bookings').select('contact_id').where('id', '=', bookingId).executeTakeFirstOrThrow()).contact_id, start: '2026-12-09T15:00:00.000Z', channel: 'sms', address: customer, key: 'again', now: clock.now() });
    expect(again.ok).toBe(true);
  });

  it('an event cancelled on the calendar sends no stale reminder; a moved one is reminded at its new time', async () => {
    clock.set('2026-12-14T14:00:00Z'); // Mon 09:00
    const a = '+14165550403';
    const b = '+14165550404';
    const ba = await book(a, '2026-12-16T15:00:00.000Z');
    const bb = await book(b, '2026-12-16T17:00:00.000Z');
    await eventually(async () => textsTo(a)[0] && textsTo(b)[0], 5000, 'confirmations');
    await h.aios.db.updateTable('calendar_events').set({ status: 'cancelled' }).where('external_id', '=', ba.bookingId).execute();
    await h.aios.db.updateTable('calendar_events').set({ starts_at: '2026-12-17T17:00:00Z', ends_at: '2026-12-17T18:00:00Z' }).where('external_id', '=', bb.bookingId).execute();
    clock.set('2026-12-15T17:00:01Z'); // 24 h before b's old time
    await eventually(async () => (await run(ba.runId)).status === 'completed', 5000, 'cancelled run ends');
    expect((await run(ba.runId)).summary).toMatch(/cancelled on the calendar; no reminder/);
    await new Promise((r) => setTimeout(r, 500));
    expect(textsTo(a)).toHaveLength(1);
    expect(textsTo(b)).toHaveLength(1);
    clock.set('2026-12-16T17:00:01Z'); // 24 h before b's new time
    const reminder = await eventually(async () => textsTo(b)[1], 5000, 'reminder at the new time');
    expect(reminder).toContain('Thu, Dec 17, 12:00 p.m.');
    const row = await h.aios.db.selectFrom('bookings').select(['starts_at', 'status']).where('id', '=', bb.bookingId).executeTakeFirstOrThrow();
    expect(row.starts_at.toISOString()).toBe('2026-12-17T17:00:00.000Z');
    await DBOS.send(bb.runId, { type: 'no_show' }, bookingTopic(bb.bookingId));
    await eventually(async () => (await run(bb.runId)).status === 'completed', 5000, 'no-show ends');
    expect(await h.aios.db.selectFrom('signals').select('id').where('dedup_key', '=', `job_done:${bb.bookingId}`).executeTakeFirst()).toBeUndefined();
    expect(await h.aios.db.selectFrom('ledger').select('category').where('run_id', '=', bb.runId).execute()).toEqual([{ category: 'no_show' }]);
  });

  it('a reschedule message with a time moves the booking and its event and confirms the new time', async () => {
    clock.set('2026-12-21T14:00:00Z'); // Mon 09:00
    const customer = '+14165550405';
    const { bookingId, runId } = await book(customer, '2026-12-22T15:00:00.000Z');
    await eventually(async () => textsTo(customer)[0], 5000, 'confirmation');
    await DBOS.send(runId, { type: 'reschedule', text: 'can we do Wednesday at 2pm instead?' }, bookingTopic(bookingId));
    const moved = await eventually(async () => textsTo(customer)[1], 5000, 'moved text');
    expect(moved).toBe('Done: your Plumbing visit is now on Wed, Dec 23, 2:00 p.m.');
    const ev = await h.aios.db.selectFrom('calendar_events').select(['starts_at', 'status']).where('external_id', '=', bookingId).executeTakeFirstOrThrow();
    expect(ev.starts_at.toISOString()).toBe('2026-12-23T19:00:00.000Z');
    // The run asks when the request has no time, and reads the reply.
    await DBOS.send(runId, { type: 'reschedule', text: 'I need to reschedule' }, bookingTopic(bookingId));
    const ask = await eventually(async () => textsTo(customer)[2], 5000, 'offer');
    expect(ask).toMatch(/^Sure, we can move it\. Open times: 1\) .*2\) .*3\) .*Reply with the number\.$/);
    await h.sms(customer, PHONE, '2');
    const done = await eventually(async () => textsTo(customer)[3], 5000, 'moved again');
    expect(done).toMatch(/^Done: your Plumbing visit is now on /);
    const row = await h.aios.db.selectFrom('bookings').select(['starts_at', 'status']).where('id', '=', bookingId).executeTakeFirstOrThrow();
    expect(row.status).toBe('confirmed');
    expect(row.starts_at.toISOString()).not.toBe('2026-12-23T19:00:00.000Z');
  });

  it('the API lists upcoming bookings (read) and marks one done (decide), which ends the run with job_done', async () => {
    clock.set('2026-12-28T14:00:00Z'); // Mon 09:00
    const customer = '+14165550406';
    const { bookingId, runId } = await book(customer, '2026-12-29T15:00:00.000Z');
    const owner = h.aios.cliTokens.get('ace')!;
    const reader = (await h.api(owner, 'POST', '/api/v1/tokens', { name: 'reader', kind: 'integration', scopes: ['read'] })).json.token as string;
    const list = await h.api(reader, 'GET', '/api/v1/bookings');
    expect(list.status).toBe(200);
    expect(list.json.bookings).toContainEqual(expect.objectContaining({ id: bookingId, start: '2026-12-29T15:00:00.000Z', label: 'Tue, Dec 29, 10:00 a.m.', status: 'confirmed', address: customer, runId }));
    expect((await h.api(reader, 'POST', `/api/v1/bookings/${bookingId}/done`)).status).toBe(403);
    const unknown = await h.api(owner, 'POST', '/api/v1/bookings/bk_nope/done');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: 'not_found' });
    const done = await h.api(owner, 'POST', `/api/v1/bookings/${bookingId}/done`);
    expect(done).toMatchObject({ status: 202, json: { bookingId, runId, requested: 'done' } });
    await eventually(async () => (await run(runId)).status === 'completed', 5000, 'run completed');
    expect(await h.aios.db.selectFrom('signals').select('kind').where('dedup_key', '=', `job_done:${bookingId}`).executeTakeFirst()).toEqual({ kind: 'job_done' });
    const again = await h.api(owner, 'POST', `/api/v1/bookings/${bookingId}/no-show`);
    expect(again.status).toBe(409);
    expect(again.json.fix).toMatch(/GET \/api\/v1\/bookings/);
    expect((await h.api(reader, 'GET', '/api/v1/bookings')).json.bookings.map((b: { id: string }) => b.id)).not.toContain(bookingId);
  });
});
