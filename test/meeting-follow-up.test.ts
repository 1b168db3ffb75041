import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { startHarness, eventually, type Harness } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { ManualClock } from '../src/core/clock.js';
import { newId } from '../src/core/ids.js';
import { syncKnowledge } from '../src/knowledge/sync.js';
import { MEETING_ENDED, DEAL_STALLED, type MeetingSignalData, type DealStalledData } from '../src/awareness/back-office-signals.js';

/**
 * Meeting follow-ups and stalled-deal nudges, offline, with the signals raised directly (the
 * watchers are another part): a draft for the owner's approval even under an auto policy → approved
 * → mail to the event's attendees (or the deal's contact; a text when it has no email).
 */
const PHONE = '+14165550700';
const POLICY = `version: 1
default: auto
actions:
  sms.send: auto
  email.send: auto
first_contact: auto
max_per_recipient_per_day: 20
over_limit: never
`;
const clock = new ManualClock('2026-12-01T16:00:00Z');
let smtp: SmtpSink;
let h: Harness;
let token: string;
let tenantId: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  const voice = readFileSync(join(import.meta.dirname, '..', 'demo', 'knowledge', 'voice.md'), 'utf8');
  h = await startHarness([{ slug: 'maple', phone: PHONE, policy: POLICY, files: { 'knowledge/voice.md': voice } }], { clock, config: { AIOS_SMTP_URL: smtp.url, AIOS_SMTP_FROM: 'office@maple.example' } });
  tenantId = h.aios.tenants.bySlugOrThrow('maple').id;
  token = h.aios.cliTokens.get('maple')!;
  await syncKnowledge(h.aios.db, tenantId, join(h.home, 'tenants', 'maple', 'knowledge'));
});
afterAll(async () => {
  await h?.stop();
  await smtp?.close();
});

async function raise(kind: string, subject: string, data: Record<string, unknown>): Promise<string> {
  const signal = await h.aios.db.insertInto('signals').values({ id: newId('sig'), tenant_id: tenantId, kind, subject, dedup_key: `${kind}:${newId('t')}`, data: JSON.stringify(data) }).returningAll().executeTakeFirstOrThrow();
  const [runId] = await h.aios.host.dispatchSignal(signal);
  return runId!;
}
const pendingApproval = (runId: string) => eventually(async () => h.aios.db.selectFrom('approvals').selectAll().where('run_id', '=', runId).where('status', '=', 'pending').executeTakeFirst(), 20_000, 'an approval');
const finished = (runId: string) => eventually(async () => h.aios.db.selectFrom('runs').selectAll().where('id', '=', runId).where('status', '=', 'completed').executeTakeFirst(), 20_000, 'the run');
const mailTo = (to: string) => eventually(async () => {
  for (const raw of smtp.received) {
    const m = await simpleParser(raw);
    if (m.to && 'text' in m.to && m.to.text === to) return m;
  }
  return null;
}, 15_000, `mail to ${to}`);

describe('meeting follow-up', () => {
  it('drafts a recap with next steps from the notes and an attached transcript, asks the owner, then mails each attendee', async () => {
    const transcript = 'Ana: The basement floods when it rains hard.\nSam: We will send the backwater valve quote by Friday.\nAna: I need to check with the condo board first.';
    const raw = ['BEGIN:VEVENT', 'UID:meet-1', 'SUMMARY:Site visit', `ATTACH;FMTTYPE=text/plain;ENCODING=BASE64;VALUE=BINARY:${Buffer.from(transcript).toString('base64')}`, 'END:VEVENT'].join('\r\n');
    const eventId = newId('cal');
    await h.aios.db.insertInto('calendar_events').values({ id: eventId, tenant_id: tenantId, connection_id: null, source: 'caldav', external_id: '/cal/meet-1.ics', uid: 'meet-1', etag: null, summary: 'Site visit', description: null, location: null, starts_at: new Date('2026-12-01T14:00:00Z'), ends_at: new Date('2026-12-01T15:00:00Z'), time_zone: 'America/Toronto', rrule: null, attendees: JSON.stringify([{ email: 'ana@customer.example' }]), raw_ics: raw }).execute();
    const data: MeetingSignalData = {
      calendarEventId: eventId, summary: 'Site visit', startedAt: '2026-12-01T14:00:00Z', endedAt: '2026-12-01T15:00:00Z', contactId: null,
      attendees: [{ email: 'ana@customer.example', name: 'Ana Lopez' }, { email: 'ANA@customer.example', name: null }, { email: 'not-an-address', name: null }, { email: 'ben@customer.example', name: null }],
      notes: 'Walked through the basement. The sump pump is 15 years old.\nNext: Ana to send photos of the electrical panel.',
    };
    const runId = await raise(MEETING_ENDED, eventId, data as unknown as Record<string, unknown>);

    const first = await pendingApproval(runId);
    expect(first.recipient).toBe('ana@customer.example');
    expect(JSON.stringify(first.reasons)).toContain('playbook_requires_approval');
    const body = (first.proposal as { body: string }).body;
    expect(body).toContain('Hi Ana,');
    expect(body).toMatch(/What we discussed:\n- Walked through the basement\.\n- The sump pump is 15 years old\.\n- Ana: The basement floods when it rains hard\./);
    expect(body).toContain('Next steps:\n- Next: Ana to send photos of the electrical panel.\n- Sam: We will send the backwater valve quote by Friday.\n- Ana: I need to check with the condo board first.');
    expect(body).toContain('— Dana & the Maple team');
    expect(smtp.received).toHaveLength(0);
    await h.api(token, 'POST', `/api/v1/approvals/${first.id}/approve`, {});
    const mail = await mailTo('ana@customer.example');
    expect(mail.subject).toBe('Recap: Site visit');

    const second = await eventually(async () => h.aios.db.selectFrom('approvals').selectAll().where('run_id', '=', runId).where('status', '=', 'pending').where('recipient', '=', 'ben@customer.example').executeTakeFirst(), 15_000, 'the second approval');
    expect((second.proposal as { body: string }).body).toContain('Hi,\n');
    await h.api(token, 'POST', `/api/v1/approvals/${second.id}/approve`, {});
    await mailTo('ben@customer.example');
    const run = await finished(runId);
    expect(run.summary).toBe('follow-up sent to ana@customer.example, ben@customer.example; skipped attendee "not-an-address" is not an email address');
    expect(smtp.received).toHaveLength(2);
  });

  it('an event with no attendees is skipped with the reason', async () => {
    const runId = await raise(MEETING_ENDED, 'cal_none', { calendarEventId: 'cal_none', summary: 'Internal', startedAt: '2026-12-01T14:00:00Z', endedAt: '2026-12-01T15:00:00Z', attendees: [], contactId: null, notes: 'We will do things.' });
    const run = await finished(runId);
    expect(run.summary).toBe('no follow-up: the event has no attendees to follow up with');
    expect(await h.aios.db.selectFrom('approvals').select('id').where('run_id', '=', runId).execute()).toEqual([]);
  });
});

describe('stalled-deal nudge', () => {
  async function stalledDeal(contact: { name?: string; email?: string; phone?: string }): Promise<{ dealId: string; runId: string }> {
    const contactId = newId('ct');
    await h.aios.db.insertInto('contacts').values({ id: contactId, tenant_id: tenantId, name: contact.name ?? null, name_source: contact.name ? 'owner' : null, email: contact.email ?? null, phone: contact.phone ?? null }).execute();
    const dealId = newId('deal');
    await h.aios.db.insertInto('deals').values({ id: dealId, tenant_id: tenantId, contact_id: contactId, title: 'Water heater replacement', stage: 'quoted' }).execute();
    const data: DealStalledData = { dealId, contactId, stage: 'quoted', lastActivityAt: '2026-11-20T15:00:00Z', days: 11 };
    return { dealId, runId: await raise(DEAL_STALLED, dealId, data as unknown as Record<string, unknown>) };
  }

  it('emails a check-in in the tenant voice after the owner approves', async () => {
    const { runId } = await stalledDeal({ name: 'Carla Diaz', email: 'carla@customer.example', phone: '+14165550711' });
    const a = await pendingApproval(runId);
    expect(a.action_kind).toBe('email.send');
    expect(a.recipient).toBe('carla@customer.example');
    const body = (a.proposal as { body: string }).body;
    expect(body).toBe('Hi Carla,\n\njust checking in about "Water heater replacement". Do you have any questions, or is there anything you need from us to move ahead?\n\n— Dana & the Maple team');
    await h.api(token, 'POST', `/api/v1/approvals/${a.id}/approve`, {});
    const mail = await mailTo('carla@customer.example');
    expect(mail.subject).toBe('maple Co: checking in about Water heater replacement');
    expect((await finished(runId)).summary).toBe('check-in emailed to carla@customer.example');
  });

  it('texts the check-in when the contact has no email, still only after approval', async () => {
    const { runId } = await stalledDeal({ phone: '+14165550712' });
    const a = await pendingApproval(runId);
    expect(a.action_kind).toBe('sms.send');
    expect(h.sink.messages.filter((m) => m.to === '+14165550712')).toHaveLength(0);
    await h.api(token, 'POST', `/api/v1/approvals/${a.id}/approve`, {});
    const sms = await eventually(async () => h.sink.messages.find((m) => m.to === '+14165550712'), 15_000, 'the text');
    expect(sms.body).toContain('Hi, just checking in about "Water heater replacement"');
    expect(sms.body).toContain('Dana & the Maple team');
  });

  it('a contact with no email and no phone is skipped with the reason', async () => {
    const { runId } = await stalledDeal({ name: 'Nobody' });
    expect((await finished(runId)).summary).toBe('no nudge: the contact has no email address or phone number');
  });
});
