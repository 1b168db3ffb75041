import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, BOOKING_POLICY, eventually, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';
import { newId } from '../src/core/ids.js';
import { APPOINTMENT_REQUESTED, holdSlot, type BookingRequest } from '../src/autonomy/booking/booking-api.js';
import type { TenantInfo } from '../src/records/tenants.js';

/**
 * A customer with a booking texts "cancel" / "reschedule" out of the blue (no run waits for their
 * reply): the inbound-message run hands it to the appointment run of their upcoming booking.
 */
const PHONE = '+14165550700';
const POLICY = BOOKING_POLICY;
const TENANT = `slug: ace
name: Ace Plumbing
time_zone: America/Toronto
locale: en-CA
phone: "${PHONE}"
owner:
  name: Sam
  phone: "+14165550799"
profile:
  tone: friendly
  hours: { mon: ["09:00","17:00"], tue: ["09:00","17:00"], wed: ["09:00","17:00"], thu: ["09:00","17:00"], fri: ["09:00","17:00"], sat: closed, sun: closed }
booking:
  service_name: Plumbing visit
  duration_minutes: 60
  min_notice_minutes: 60
playbooks:
  appointment:
    check_every_seconds: 0.2
`;
const clock = new ManualClock('2026-12-07T14:00:00Z'); // Mon 09:00 in Toronto
let h: Harness;
let tenant: TenantInfo;

beforeAll(async () => {
  h = await startHarness([{ slug: 'ace', phone: PHONE, policy: POLICY, files: { 'tenant.yaml': TENANT } }], { clock });
  tenant = h.aios.tenants.bySlugOrThrow('ace');
});
afterAll(() => h?.stop());

async function book(phone: string, start: string): Promise<{ bookingId: string; runId: string }> {
  const contactId = newId('ct');
  await h.aios.db.insertInto('contacts').values({ id: contactId, tenant_id: tenant.id, phone, name: 'Ana' }).execute();
  const held = await holdSlot(h.aios.db, tenant, { contactId, start, channel: 'sms', address: phone, key: `test:${phone}`, now: clock.now() });
  if (!held.ok) throw new Error(`hold failed: ${held.reason}`);
  const data: BookingRequest = { holdId: held.holdId, contactId, channel: 'sms', address: phone, name: 'Ana', need: 'leaking tap' };
  const signal = await h.aios.db.insertInto('signals')
    .values({ id: newId('sig'), tenant_id: tenant.id, kind: APPOINTMENT_REQUESTED, subject: phone, dedup_key: `appointment:${held.holdId}`, data: JSON.stringify(data) })
    .returningAll().executeTakeFirstOrThrow();
  const [runId] = await h.aios.host.dispatchSignal(signal);
  await eventually(async () => (await h.aios.db.selectFrom('bookings').select('status').where('id', '=', held.holdId).executeTakeFirst())?.status === 'confirmed', 10_000, 'booking confirmed');
  // The customer writes later, while the run waits for the reminder time.
  await eventually(async () => (await h.aios.db.selectFrom('runs').select('waiting_for').where('id', '=', runId!).executeTakeFirst())?.waiting_for?.startsWith('reminder'), 10_000, 'run waiting for the reminder');
  return { bookingId: held.holdId, runId: runId! };
}

const textsTo = (to: string) => h.sink.messages.filter((m) => m.to === to).map((m) => m.body);
const inboundRun = async (from: string) => {
  const s = await h.aios.db.selectFrom('signals').select('id').where('tenant_id', '=', tenant.id).where('kind', '=', 'inbound_unrouted').where('subject', '=', from).orderBy('created_at', 'desc').executeTakeFirst();
  return s ? h.aios.db.selectFrom('runs').selectAll().where('trigger_ref', '=', s.id).executeTakeFirst() : undefined;
};

describe('cancel and reschedule by reply reach the booking', () => {
  it('"Please cancel my appointment" cancels the booking', async () => {
    const customer = '+14165550701';
    const { bookingId } = await book(customer, '2026-12-09T15:00:00.000Z');
    await eventually(async () => textsTo(customer)[0], 5000, 'confirmation');
    await h.sms(customer, PHONE, 'Please cancel my appointment, sorry');
    const done = await eventually(async () => textsTo(customer)[1], 10_000, 'cancellation text');
    expect(done).toBe('Your Plumbing visit on Wed, Dec 9, 10:00 a.m. is cancelled. Text us any time to book again.');
    expect((await h.aios.db.selectFrom('calendar_events').select('status').where('external_id', '=', bookingId).executeTakeFirstOrThrow()).status).toBe('cancelled');
    expect((await inboundRun(customer))?.summary).toBe(`cancel request handed to booking ${bookingId}`);
  });

  it('"Can we reschedule to Thursday at 2pm?" moves it', async () => {
    const customer = '+14165550702';
    const { bookingId } = await book(customer, '2026-12-09T17:00:00.000Z');
    await eventually(async () => textsTo(customer)[0], 5000, 'confirmation');
    await h.sms(customer, PHONE, 'Can we reschedule to Thursday at 2pm?');
    const moved = await eventually(async () => textsTo(customer)[1], 10_000, 'moved text');
    expect(moved).toBe('Done: your Plumbing visit is now on Thu, Dec 10, 2:00 p.m.');
    expect((await h.aios.db.selectFrom('bookings').select('starts_at').where('id', '=', bookingId).executeTakeFirstOrThrow()).starts_at.toISOString()).toBe('2026-12-10T19:00:00.000Z');
  });

  it('"cancel" from someone with no upcoming booking goes to the owner', async () => {
    const stranger = '+14165550703';
    await h.sms(stranger, PHONE, 'I need to cancel');
    const notice = await eventually(async () => textsTo('+14165550799').find((b) => b.includes(stranger)), 10_000, 'owner notice');
    expect(notice).toContain('asks to cancel but has no upcoming booking');
  });
});
