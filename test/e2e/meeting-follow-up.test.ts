import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { simpleParser } from 'mailparser';
import { requireServices } from './services.js';
import { startHarness, eventually, type Harness } from '../support/harness.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';
import { newId } from '../../src/core/ids.js';
import { MEETING_ENDED, type MeetingSignalData } from '../../src/awareness/back-office-signals.js';

/**
 * Meeting follow-up from a real Radicale event: the event (attendee, DESCRIPTION, a base64 text
 * transcript in ATTACH) is synced over CalDAV; the `meeting_ended` signal is raised the way the
 * watcher fills it (from the synced row); the recap waits for approval even under an auto policy;
 * once approved the SMTP sink gets it, addressed to the event's attendee.
 */
const BASE = 'http://127.0.0.1:5232';
const CAL = `${BASE}/test/aios-followup-${process.pid}-${Date.now()}/`;
const auth = { authorization: `Basic ${Buffer.from('test:x').toString('base64')}` };
const POLICY = 'version: 1\ndefault: auto\nactions:\n  email.send: auto\nfirst_contact: auto\nmax_per_recipient_per_day: 20\nover_limit: never\n';
const TRANSCRIPT = 'Raj: The water heater is leaking at the base.\nSam: We will send a replacement quote by Thursday.';
let h: Harness;
let smtp: SmtpSink;
let token: string;

beforeAll(async () => {
  await requireServices(['radicale']);
  const mk = await fetch(CAL, { method: 'MKCALENDAR', headers: { ...auth, 'content-type': 'application/xml' }, body: '<?xml version="1.0"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>AIOS follow-up</d:displayname></d:prop></d:set></c:mkcalendar>' });
  expect(mk.status).toBe(201);
  const b64 = Buffer.from(TRANSCRIPT).toString('base64');
  const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//AIOS test//EN', 'BEGIN:VEVENT', 'UID:visit-raj', 'DTSTAMP:20261101T120000Z', 'DTSTART:20261201T140000Z', 'DTEND:20261201T150000Z', 'SUMMARY:Water heater visit',
    'DESCRIPTION:Checked the tank and the venting.', 'ORGANIZER:mailto:office@maple.example', 'ATTENDEE;CN=Raj Patel:mailto:raj@customer.example',
    `ATTACH;FMTTYPE=text/plain;ENCODING=BASE64;VALUE=BINARY:${b64}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
  const put = await fetch(`${CAL}visit-raj.ics`, { method: 'PUT', headers: { ...auth, 'content-type': 'text/calendar' }, body: ics });
  expect(put.status).toBe(201);
  smtp = await startSmtpSink();
  h = await startHarness([{ slug: 'maple', phone: '+14165550900', policy: POLICY }], { config: { AIOS_SMTP_URL: smtp.url, AIOS_SMTP_FROM: 'office@maple.example' } });
  token = h.aios.cliTokens.get('maple')!;
});
afterAll(async () => {
  await h?.stop();
  await smtp?.close();
  await fetch(CAL, { method: 'DELETE', headers: auth }).catch(() => undefined);
});

describe('meeting follow-up with Radicale and the SMTP sink', () => {
  it('recaps the synced event and its attached transcript, and mails the attendee after approval', async () => {
    const r = await h.api(token, 'POST', '/api/v1/connections', { kind: 'caldav', name: 'visits', credentials: { serverUrl: `${BASE}/`, username: 'test', password: 'x', calendarUrl: CAL, timeZone: 'America/Toronto' } });
    expect(r.status).toBe(201);
    const tid = h.aios.tenants.bySlugOrThrow('maple').id;
    const ev = await eventually(async () => h.aios.db.selectFrom('calendar_events').selectAll().where('tenant_id', '=', tid).where('uid', '=', 'visit-raj').executeTakeFirst(), 20_000, 'the synced event');
    const attendees = (ev.attendees as Array<{ email: string; name?: string | null }>).map((a) => ({ email: a.email.replace(/^mailto:/i, ''), name: a.name ?? null }));
    expect(attendees.map((a) => a.email)).toContain('raj@customer.example');
    const data: MeetingSignalData = { calendarEventId: ev.id, summary: ev.summary, startedAt: ev.starts_at.toISOString(), endedAt: ev.ends_at.toISOString(), attendees: attendees.filter((a) => a.email !== 'office@maple.example'), contactId: null, notes: ev.description };
    const signal = await h.aios.db.insertInto('signals').values({ id: newId('sig'), tenant_id: tid, kind: MEETING_ENDED, subject: ev.id, dedup_key: `meeting_ended:${ev.id}:${data.endedAt}`, data: JSON.stringify(data) }).returningAll().executeTakeFirstOrThrow();
    const [runId] = await h.aios.host.dispatchSignal(signal);

    const a = await eventually(async () => h.aios.db.selectFrom('approvals').selectAll().where('run_id', '=', runId!).where('status', '=', 'pending').executeTakeFirst(), 20_000, 'the approval');
    expect(a.recipient).toBe('raj@customer.example');
    const body = (a.proposal as { body: string }).body;
    expect(body).toContain('- Checked the tank and the venting.');
    expect(body).toContain('- Raj: The water heater is leaking at the base.');
    expect(body).toContain('Next steps:\n- Sam: We will send a replacement quote by Thursday.');
    expect(smtp.received).toHaveLength(0);
    await h.api(token, 'POST', `/api/v1/approvals/${a.id}/approve`, {});
    await eventually(async () => smtp.received.length === 1, 15_000, 'the recap mail');
    const mail = await simpleParser(smtp.received[0]!);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('raj@customer.example');
    expect(mail.subject).toBe('Recap: Water heater visit');
    expect(mail.text).toContain('We will send a replacement quote by Thursday.');
  });
});
