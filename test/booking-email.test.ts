import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { simpleParser } from 'mailparser';
import ICAL from 'ical.js';
import { startHarness, BOOKING_POLICY, eventually, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';
import { newId } from '../src/core/ids.js';
import { APPOINTMENT_REQUESTED, holdSlot } from '../src/autonomy/booking/booking-api.js';

/** A booking for a customer with an email: the confirmation mail carries a METHOD:REQUEST invite. */
const PHONE = '+14165550500';
const POLICY = BOOKING_POLICY.replace('  calendar.create: auto\n', '  calendar.create: auto\n  email.send: auto\n');
const TENANT = `slug: mail
name: Ace Plumbing
time_zone: America/Toronto
phone: "${PHONE}"
owner:
  name: Sam
profile:
  tone: friendly
booking:
  service_name: Plumbing visit
  min_notice_minutes: 60
playbooks:
  appointment:
    check_every_seconds: 0.2
`;
const clock = new ManualClock('2026-12-01T14:00:00Z');
let smtp: SmtpSink;
let h: Harness;

beforeAll(async () => {
  smtp = await startSmtpSink();
  h = await startHarness([{ slug: 'mail', phone: PHONE, policy: POLICY, files: { 'tenant.yaml': TENANT } }], {
    clock,
    config: { AIOS_SMTP_URL: smtp.url, AIOS_SMTP_FROM: '"Ace Plumbing" <bookings@ace.example>' },
  });
});
afterAll(async () => {
  await h?.stop();
  await smtp?.close();
});

describe('booking confirmation by email', () => {
  it('sends an email with a parseable ICS invite: METHOD:REQUEST, the slot, the customer as attendee', async () => {
    const tenant = h.aios.tenants.bySlugOrThrow('mail');
    const customer = '+14165550501';
    const contactId = newId('ct');
    await h.aios.db.insertInto('contacts').values({ id: contactId, tenant_id: tenant.id, phone: customer, email: 'ana@customer.example' }).execute();
    const held = await holdSlot(h.aios.db, tenant, { contactId, start: '2026-12-03T15:00:00Z', channel: 'sms', address: customer, key: 'mail-1', now: clock.now() });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    const signal = await h.aios.db
      .insertInto('signals')
      .values({ id: newId('sig'), tenant_id: tenant.id, kind: APPOINTMENT_REQUESTED, subject: customer, dedup_key: `appointment:${held.holdId}`, data: JSON.stringify({ holdId: held.holdId, contactId, channel: 'sms', address: customer, name: 'Ana Lopez', email: 'ana@customer.example', need: 'Leaking tap' }) })
      .returningAll()
      .executeTakeFirstOrThrow();
    await h.aios.host.dispatchSignal(signal);

    await eventually(async () => smtp.received.length === 1, 10_000, 'the confirmation mail');
    const mail = await simpleParser(smtp.received[0]!);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('ana@customer.example');
    expect(mail.from?.text).toContain('bookings@ace.example');
    expect(mail.subject).toBe('Plumbing visit with Ace Plumbing: Thu, Dec 3, 10:00 a.m.');
    expect(mail.text).toContain('Confirmed: Plumbing visit on Thu, Dec 3, 10:00 a.m. with Ace Plumbing.');
    const att = mail.attachments.find((a) => a.contentType.startsWith('text/calendar') || a.filename === 'invite.ics');
    expect(att, 'an ICS part').toBeDefined();
    const cal = new ICAL.Component(ICAL.parse(att!.content.toString('utf8')));
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST');
    const ev = new ICAL.Event(cal.getFirstSubcomponent('vevent')!);
    expect(ev.startDate.toJSDate().toISOString()).toBe('2026-12-03T15:00:00.000Z');
    expect(ev.endDate.toJSDate().toISOString()).toBe('2026-12-03T16:00:00.000Z');
    const attendee = cal.getFirstSubcomponent('vevent')!.getFirstProperty('attendee')!;
    expect(attendee.getFirstValue()).toBe('mailto:ana@customer.example');
    expect(attendee.getParameter('cn')).toBe('Ana Lopez');
    expect(cal.getFirstSubcomponent('vevent')!.getFirstPropertyValue('organizer')).toBe('mailto:bookings@ace.example');
    // The same UID as the calendar event AIOS wrote.
    const row = await h.aios.db.selectFrom('calendar_events').select('uid').where('external_id', '=', held.holdId).executeTakeFirstOrThrow();
    expect(ev.uid).toBe(row.uid);
    const outbox = await h.aios.db.selectFrom('outbox').select(['channel', 'kind', 'status']).where('tenant_id', '=', tenant.id).where('channel', '=', 'email').execute();
    expect(outbox).toEqual([{ channel: 'email', kind: 'email.send', status: 'sent' }]);
  });
});
