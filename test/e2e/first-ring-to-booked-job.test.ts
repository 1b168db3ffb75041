import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { fetchCalendarObjects } from 'tsdav';
import { requireServices, SERVICES } from './services.js';
import { makeTestCalendar } from './radicale.js';
import { startHarness, eventually, tenantYaml, ACCOUNT_SID, AUTH_TOKEN, type Harness } from '../support/harness.js';
import { postTwilioWebhook, twilioSid } from '../../src/connection/twilio/webhook-client.js';
import { davFetch } from '../../src/connection/calendar/dav-http.js';
import { ManualClock } from '../../src/core/clock.js';

/**
 * The sentence the product is sold on, end to end through the real HTTP server and a real CalDAV
 * server (Radicale): "the call comes in, the system answers it, captures the lead, logs it in your
 * CRM, books the appointment, and sends the confirmation" — then the reminder a day before and the
 * review request after the job. Monday 30 Nov 2026, 09:00 in Toronto; "Thursday at 10" is Thu 3 Dec
 * 10:00 EST (15:00Z). The business's clock is a ManualClock; the appointment run looks at it every
 * 0.2 s (`check_every_seconds`).
 */
const clock = new ManualClock('2026-11-30T14:00:00Z');
const PHONE = '+14165550700';
const OWNER = '+14165550711';
const CALLER = '+14165550760';
const POLICY = `version: 1
default: approve
actions:
  sms.send: auto
  calendar.create: auto
first_contact: auto
max_per_recipient_per_day: 10
over_limit: never
`;
const EXTRA = `  hours:
    mon: ["08:00", "17:00"]
    tue: ["08:00", "17:00"]
    wed: ["08:00", "17:00"]
    thu: ["08:00", "17:00"]
    fri: ["08:00", "17:00"]
    sat: closed
    sun: closed
  review_link: https://g.page/r/first-ring-plumbing/review
  average_job_value: 350
`;
const TAIL = `booking:
  service_name: Plumbing visit
  duration_minutes: 60
voice:
  answer: always
`;

let h: Harness;
let calendarUrl = '';
let token = '';

beforeAll(async () => {
  await requireServices(['radicale']);
  calendarUrl = await makeTestCalendar(`first-ring-${randomBytes(4).toString('hex')}`);
  const t = { slug: 'firstring', phone: PHONE, ownerPhone: OWNER, policy: POLICY };
  const yaml = tenantYaml(t).replace('  tone: friendly\n', `  tone: friendly\n${EXTRA}`).replace(/playbooks:\n/, `${TAIL}playbooks:\n  appointment:\n    check_every_seconds: 0.2\n`);
  h = await startHarness([{ ...t, files: { 'tenant.yaml': yaml, 'knowledge/prices.md': '# Prices\n\nDrain cleaning costs $149 per visit, including the first hour.\n' } }], { clock });
  token = h.aios.cliTokens.get('firstring')!;
  await eventually(async () => (await h.aios.db.selectFrom('knowledge_chunks').select('id').execute()).length >= 1, 20_000, 'knowledge indexed');
}, 60_000);
afterAll(() => h?.stop());

const post = (path: string, params: Record<string, string>) => postTwilioWebhook(`${h.aios.url}/hooks/twilio${path}`, params, { authToken: AUTH_TOKEN });
const said = (xml: string) => [...xml.matchAll(/<Say[^>]*>([^<]*)<\/Say>/g)].map((m) => m[1]!).join(' ').replace(/&apos;/g, "'");
const textsTo = (to: string) => h.sink.messages.filter((m) => m.to === to).map((m) => m.body);

describe('from the first ring to a booked job', () => {
  it('answers the call, quotes the price, books Thursday 10:00 on the CalDAV calendar, confirms, reminds, and asks for the review', async () => {
    // The business's calendar is connected (as `aios connect caldav` would).
    const conn = await h.api(token, 'POST', '/api/v1/connections', {
      kind: 'caldav', name: 'Office calendar',
      credentials: { serverUrl: SERVICES.radicale.url, username: 'test', password: 'test', calendarUrl, timeZone: 'America/Toronto' },
    });
    expect(conn.status).toBe(201);

    // The call comes in; AIOS answers as the business.
    const callSid = twilioSid('CA');
    const base = { CallSid: callSid, AccountSid: ACCOUNT_SID, From: CALLER, To: PHONE, CallStatus: 'in-progress', Direction: 'inbound' };
    const turn = async (speech: string) => {
      const res = await post('/gather', { ...base, SpeechResult: speech, Confidence: '0.93' });
      expect(res.status).toBe(200);
      return said(await res.text());
    };
    const hello = await post('/incoming', base);
    expect(hello.status).toBe(200);
    expect(said(await hello.text())).toContain('firstring Co');
    // The caller asks a price: answered from the business's own knowledge.
    expect(await turn('How much is drain cleaning?')).toContain('$149');
    // …and books Thursday at 10.
    expect(await turn('Can you come Thursday at 10?')).toMatch(/name/i);
    expect(await turn('My name is Dana Smith')).toMatch(/address/i);
    expect(await turn('12 Elm Street, Toronto')).toMatch(/ending in/);
    expect(await turn('yes')).toMatch(/Thu.*10:00.*book it/);
    expect(await turn('yes please')).toMatch(/text to confirm/i);
    expect(await turn("no that's all, thanks")).toMatch(/Goodbye/);
    const ended = await post('/voice', { ...base, CallStatus: 'completed', CallDuration: '95' });
    expect(ended.status).toBe(200);

    // The lead is captured and logged in the CRM: contact and deal.
    const tenantId = h.aios.tenants.bySlugOrThrow('firstring').id;
    const contact = await eventually(async () => h.aios.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenantId).where('phone', '=', CALLER).executeTakeFirst(), 10_000, 'contact');
    expect(contact.name).toBe('Dana Smith');
    const booking = await eventually(async () => {
      const b = await h.aios.db.selectFrom('bookings').selectAll().where('tenant_id', '=', tenantId).where('address', '=', CALLER).executeTakeFirst();
      return b?.status === 'confirmed' ? b : undefined;
    }, 20_000, 'booking confirmed');
    expect(new Date(booking.starts_at).toISOString()).toBe('2026-12-03T15:00:00.000Z');
    const deal = await h.aios.db.selectFrom('deals').selectAll().where('tenant_id', '=', tenantId).where('contact_id', '=', contact.id).executeTakeFirstOrThrow();
    expect(deal.stage).toBe('booked');

    // The appointment is on the business's CalDAV calendar (read back from Radicale itself).
    const objects = await fetchCalendarObjects({ calendar: { url: calendarUrl }, fetch: davFetch({ username: 'test', password: 'test' }) });
    expect(objects).toHaveLength(1);
    const ics = String(objects[0]!.data);
    expect(ics).toMatch(/SUMMARY:Plumbing visit/);
    expect(ics).toMatch(/DTSTART(;TZID=America\/Toronto:20261203T100000|:20261203T150000Z)/);

    // The confirmation text is at the carrier.
    const confirmation = await eventually(async () => textsTo(CALLER).find((b) => b.startsWith('Confirmed')), 10_000, 'confirmation SMS');
    expect(confirmation).toMatch(/Plumbing visit on Thu, Dec 3, 10:00/);

    // The calendar is synced back (the business's calendar now holds the event as a CalDAV item):
    // the booking still knows its event, so the reminder is not lost.
    h.aios.services.connectors.pollNow(conn.json.connection.id);
    await eventually(async () => (await h.aios.db.selectFrom('connector_items').select('external_id').where('connection_id', '=', conn.json.connection.id).execute()).length >= 1, 10_000, 'calendar synced');

    // A day before: the 24 h reminder.
    clock.set('2026-12-02T15:00:01Z');
    const reminder = await eventually(async () => textsTo(CALLER).find((b) => b.startsWith('Reminder')), 10_000, '24 h reminder');
    expect(reminder).toMatch(/Thu, Dec 3, 10:00/);

    // After the job: a review request with the business's review link.
    clock.set('2026-12-03T16:30:00Z');
    const review = await eventually(async () => textsTo(CALLER).find((b) => b.includes('https://g.page/r/first-ring-plumbing/review')), 15_000, 'review request');
    expect(review).toBeTruthy();
    const done = await h.aios.db.selectFrom('deals').select('stage').where('id', '=', deal.id).executeTakeFirstOrThrow();
    expect(done.stage).toBe('done');
    // Answered, not missed: the caller was never texted back as a missed call.
    expect(await h.aios.db.selectFrom('signals').select('id').where('tenant_id', '=', tenantId).where('kind', '=', 'missed_call').execute()).toHaveLength(0);
    // The ledger counts the call, the booking and the review request (written right after the send).
    const ledger = await eventually(async () => {
      const rows = (await h.aios.db.selectFrom('ledger').select('category').where('tenant_id', '=', tenantId).execute()).map((l) => l.category);
      return ['call_answered', 'booking', 'review_request'].every((c) => rows.includes(c)) ? rows : undefined;
    }, 10_000, 'ledger entries');
    expect(ledger).toEqual(expect.arrayContaining(['call_answered', 'booking', 'review_request']));
  }, 90_000);
});
