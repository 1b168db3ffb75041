import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { simpleParser } from 'mailparser';
import { sql } from 'kysely';
import { createTestDatabase, insertTenant, type TestDatabase } from './support/test-db.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { inboundEmail, invoice } from './support/back-office-rows.js';
import { openDb, type Db } from '../src/store/db.js';
import { newId } from '../src/core/ids.js';
import { appendMessage } from '../src/records/conversations.js';
import { BookingSection, BriefSection, VoiceSection } from '../src/records/tenant-sections.js';
import { parseTenantFile } from '../src/records/tenant-file.js';
import type { TenantInfo } from '../src/records/tenants.js';
import { SmtpEmailChannel } from '../src/connection/channels/email-smtp.js';
import { SandboxSmsChannel } from '../src/connection/channels/sms-sandbox.js';
import { runBriefs, type BriefDeps } from '../src/leverage/brief/run-briefs.js';
import { dueBriefs } from '../src/leverage/brief/brief-time.js';
import type { BriefContent } from '../src/leverage/brief/brief-content.js';
import { ConfigError } from '../src/core/errors.js';

/**
 * The owner's daily brief and weekly report against a real PostgreSQL and a real SMTP sink, on a
 * fake clock: exact figures for seeded data, once at the local time, catch-up once, once across
 * two processes, time zones and DST, the weekly chart PNG, bad config, and no other business's data.
 */
let tdb: TestDatabase;
let smtp: SmtpSink;
let A: TenantInfo;
let B: TenantInfo;
const TZ = 'America/Toronto';

function tenant(id: string, slug: string, phone: string, brief: Record<string, unknown>, owner: TenantInfo['owner'], timeZone = TZ): TenantInfo {
  return {
    id, slug, name: `${slug} Co`, timeZone, locale: 'en-CA', currency: 'CAD', phone, owner,
    profile: { tone: 'friendly', average_job_value: 350 }, booking: BookingSection.parse({}), voice: VoiceSection.parse({}),
    brief: BriefSection.parse(brief), playbookSettings: {}, dir: '',
  };
}

/** A text at `at` (its contact created then, as a lead that came in). */
async function text(db: Db, t: TenantInfo, phone: string, direction: 'inbound' | 'outbound', body: string, at: Date) {
  const m = await appendMessage(db, { tenantId: t.id, channel: 'sms', address: phone, direction, body, at });
  await sql`update contacts set created_at = ${at} where id = ${m.contactId} and created_at > ${at}`.execute(db);
  return m;
}
async function ledger(db: Db, t: TenantInfo, category: string, minutes: number, at: Date) {
  await db.insertInto('ledger').values({ id: newId('lg'), tenant_id: t.id, run_id: null, category, minutes_saved: minutes, created_at: at }).execute();
}
async function sentOutbox(db: Db, t: TenantInfo, kind: string, channel: string, at: Date) {
  await db.insertInto('outbox').values({ id: newId('ob'), tenant_id: t.id, idempotency_key: newId('k'), kind, channel, recipient: '+14165550301', payload: JSON.stringify({ body: 'x' }), status: 'sent', sent_at: at, created_at: at }).execute();
}
async function signal(db: Db, t: TenantInfo, kind: string, subject: string, at: Date, occurrences = 1) {
  await db.insertInto('signals').values({ id: newId('sg'), tenant_id: t.id, kind, subject, dedup_key: newId('d'), occurrences, created_at: at, updated_at: at }).execute();
}

const deps = (db: Db, now: () => Date, tenants: TenantInfo[]): BriefDeps => ({ db, now, tenants: { all: () => tenants }, channels: { sms: new SandboxSmsChannel(), email: new SmtpEmailChannel({ url: smtp.url, from: '"AIOS" <aios@aios.example>' }) }, dashboardUrl: () => 'https://aios.example' });
const briefs = (db: Db, t: TenantInfo) => db.selectFrom('briefs').selectAll().where('tenant_id', '=', t.id).orderBy('local_date').orderBy('kind').execute();
const mails = async () => Promise.all(smtp.received.map((r) => simpleParser(r)));

// Tuesday 1 December 2026, 07:31 in Toronto (UTC−5).
const AT = new Date('2026-12-01T12:31:00Z');
const h = (hoursBefore: number) => new Date(AT.getTime() - hoursBefore * 3_600_000);

beforeAll(async () => {
  tdb = await createTestDatabase();
  smtp = await startSmtpSink();
  const a = await insertTenant(tdb.db, 'brief-a', '+14165550100');
  const b = await insertTenant(tdb.db, 'brief-b', '+14165550200');
  A = tenant(a, 'brief-a', '+14165550100', { daily_at: '07:30', weekly_on: 'tuesday' }, { name: 'Ann', email: 'ann@a.example' });
  B = tenant(b, 'brief-b', '+14165550200', { daily_at: '07:30', weekly_on: 'monday' }, { name: 'Bo' });
  const db = tdb.db;
  // A, in the 24 h before the first brief: two texts (one answered), one email, a missed call twice.
  await text(db, A, '+14165550301', 'inbound', 'Can you fix a leak?', h(16.5));
  await text(db, A, '+14165550301', 'outbound', 'Yes, tomorrow at 9.', h(16.4));
  const p2 = await text(db, A, '+14165550302', 'inbound', 'Quote for a boiler?', h(9.5));
  await sql`update conversations set state = 'waiting_for_owner', waiting_since = ${h(9.4)} where id = ${p2.conversationId}`.execute(db);
  const kim = await inboundEmail(db, A.id, 'kim@cust.example', 'Need a quote', h(11.5));
  await sql`update contacts set created_at = ${h(11.5)} where id = ${kim.contactId}`.execute(db);
  await signal(db, A, 'missed_call', '+14165550304', h(10.5), 2);
  // Customers the owner imported (the demo's list, a CSV) in the same window: existing customers, not leads that came in.
  for (const [id, phone, source] of [['ct_imported_1', '+14165550391', 'import'], ['ct_imported_2', '+14165550392', 'csv:generic']] as const) {
    await sql`insert into contacts (id, tenant_id, name, phone, source, created_at) values (${id}, ${A.id}, 'Old Customer', ${phone}, ${source}, ${h(8)})`.execute(db);
  }
  await signal(db, A, 'invoice_overdue', 'Invoice N-1', new Date('2026-11-29T15:00:00Z'));
  await sentOutbox(db, A, 'sms.send', 'sms', h(16.4));
  await sentOutbox(db, A, 'owner.notify', 'sms', h(11)); // the owner's own notice: not "AIOS sent"
  await ledger(db, A, 'invoice_chase', 5, h(12.5));
  await ledger(db, A, 'inbound_answer', 3, h(16.4));
  await ledger(db, A, 'missed_call_text_back', 4, h(10.4));
  await invoice(db, A.id, { dueAt: new Date('2026-11-20T17:00:00Z'), amountCents: 50_000 });
  await invoice(db, A.id, { dueAt: new Date('2026-12-04T17:00:00Z'), amountCents: 30_000 });
  // Older, answered, outside the window.
  await text(db, A, '+14165550303', 'inbound', 'Old question', new Date('2026-11-28T15:00:00Z'));
  await text(db, A, '+14165550303', 'outbound', 'Old answer', new Date('2026-11-28T15:05:00Z'));
  // Past weeks of the ledger (the weekly report): the week of Nov 23 and the week of Nov 16.
  for (const d of ['2026-11-24T15:00:00Z', '2026-11-25T15:00:00Z', '2026-11-26T15:00:00Z']) await ledger(db, A, 'missed_call_text_back', 4, new Date(d));
  await ledger(db, A, 'missed_call_text_back', 4, new Date('2026-11-17T15:00:00Z'));
  // B: its own lead and message, never in A's brief.
  await text(db, B, '+14165550399', 'inbound', 'SECRET-B words', h(3));
  await sql`update contacts set name = 'Zed Beta' where tenant_id = ${B.id}`.execute(db);
  await invoice(db, B.id, { dueAt: new Date('2026-11-10T17:00:00Z'), amountCents: 99_900 });
});
afterAll(async () => {
  await smtp?.close();
  await tdb?.close();
});

describe('daily brief', () => {
  it('is not made before daily_at local time', async () => {
    const pass = await runBriefs(deps(tdb.db, () => h(0.6), [A, B])); // 06:55 in Toronto
    expect(pass).toEqual({ made: [], sent: [], notSent: [], failed: [] });
    expect(await briefs(tdb.db, A)).toHaveLength(0);
  });

  it('at 07:31 local: the figures are exact, mailed once to the owner as text + HTML with dashboard links', async () => {
    const pass = await runBriefs(deps(tdb.db, () => AT, [A, B]));
    expect(pass.failed).toEqual([]);
    expect(pass.sent).toEqual(['brief-a/daily/2026-12-01', 'brief-a/weekly/2026-12-01']);
    expect(pass.notSent).toEqual(['brief-b/daily/2026-12-01: no address: set brief.to or owner.email in tenant.yaml']);
    const [daily] = (await briefs(tdb.db, A)).filter((r) => r.kind === 'daily');
    const c = daily!.content as BriefContent;
    const f = c.figures as any;
    expect(f.cameIn).toMatchObject({ newLeads: 3, missedCalls: 2, messages: 2, emails: 1 });
    expect(f.didForYou).toMatchObject({ textsSent: 1, emailsSent: 0, bookings: 0, invoicesChased: 1, questionsAnswered: 1, minutesSaved: 12 });
    expect(f.waiting).toMatchObject({ approvals: 0, threads: 1, signals: 2 });
    expect(f.moneyAtRisk).toMatchObject({ overdue: { count: 1, cents: 50_000 }, dueSoon: { count: 1, cents: 30_000 }, unansweredLeads: { count: 2, cents: 70_000 } });
    expect(c.parts.map((p) => p.summary)).toEqual([
      '3 new leads, 2 missed calls, 2 messages and 1 email since 7:31 a.m. on Mon 30 Nov.',
      'AIOS sent 1 text, chased 1 invoice and answered 1 question: 12 minutes saved.',
      '1 thread and 2 open signals wait for you, oldest first.',
      '$500.00 overdue (1 invoice), $300.00 due within 7 days (1 invoice) and 2 leads not answered (about $700.00).',
    ]);
    // Oldest first: the overdue-invoice signal (Nov 29), the missed call, the thread.
    expect(c.parts[2]!.lines.map((l) => [l.text.split(' (')[0], l.href])).toEqual([
      ['Signal: invoice overdue: Invoice N-1', '/signals'],
      ['Signal: missed call: +14165550304', '/signals'],
      [`Waiting: +14165550302`, `/conversations/${p2Id()}`],
    ]);
    expect(daily!.sent_at?.toISOString()).toBe(AT.toISOString());
    expect(daily!.email_to).toBe('ann@a.example');
    const m = (await mails()).find((x) => x.subject?.includes('your brief'))!;
    expect(m.to).toMatchObject({ text: 'ann@a.example' });
    expect(m.subject).toBe('brief-a Co: your brief for 2026-12-01 (3 waiting)');
    expect(m.text).toContain('WHAT WAITS FOR YOU\n1 thread and 2 open signals wait for you, oldest first.');
    expect(m.html).toContain(`<a href="https://aios.example/conversations/${p2Id()}">`);
    const row = await tdb.db.selectFrom('outbox').selectAll().where('id', '=', daily!.outbox_id!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'owner.notify', channel: 'email', recipient: 'ann@a.example', status: 'sent' });
  });

  it('never carries another business\'s data', async () => {
    const raw = smtp.received.map((r) => r.toString('utf8')).join('\n');
    const stored = JSON.stringify((await briefs(tdb.db, A)).map((r) => r.content));
    for (const s of ['Zed Beta', '+14165550399', 'SECRET-B', '999.00']) {
      expect(raw).not.toContain(s);
      expect(stored).not.toContain(s);
    }
    const [bDaily] = await briefs(tdb.db, B);
    expect((bDaily!.content as any).figures.cameIn).toMatchObject({ newLeads: 1, messages: 1, emails: 0, missedCalls: 0 });
    expect(bDaily!.not_sent_reason).toBe('no address: set brief.to or owner.email in tenant.yaml');
  });

  it('repeated ticks the same day send nothing more', async () => {
    const before = smtp.received.length;
    for (const min of [1, 30, 600]) {
      const pass = await runBriefs(deps(tdb.db, () => new Date(AT.getTime() + min * 60_000), [A, B]));
      expect(pass.made).toEqual([]);
      expect(pass.sent).toEqual([]);
    }
    expect(smtp.received.length).toBe(before);
  });

  it('two schedulers (two processes, two pools) at the same minute: one brief, one mail', async () => {
    const next = new Date('2026-12-02T12:30:00Z'); // Wed 07:30 in Toronto
    const before = smtp.received.length;
    const other = openDb(tdb.url, 3);
    try {
      const passes = await Promise.all([runBriefs(deps(tdb.db, () => next, [A])), runBriefs(deps(other.db, () => next, [A])), runBriefs(deps(tdb.db, () => next, [A]))]);
      expect(passes.flatMap((p) => p.made)).toEqual(['brief-a/daily/2026-12-02']);
      expect(passes.flatMap((p) => p.sent)).toEqual(['brief-a/daily/2026-12-02']);
    } finally {
      await other.db.destroy();
    }
    expect(smtp.received.length).toBe(before + 1);
    const wed = (await briefs(tdb.db, A)).find((r) => r.local_date === '2026-12-02')!;
    // "Since the last brief": Tuesday's brief ended at 07:31.
    expect(wed.period_start.toISOString()).toBe(AT.toISOString());
  });

  it('catch-up: down from Wednesday 07:30 until Friday 09:10, it sends Friday\'s brief once, not the days it missed', async () => {
    const before = smtp.received.length;
    const fri = new Date('2026-12-04T14:10:00Z'); // Fri 09:10 in Toronto
    const first = await runBriefs(deps(tdb.db, () => fri, [A]));
    expect(first.sent).toEqual(['brief-a/daily/2026-12-04']);
    await runBriefs(deps(tdb.db, () => new Date(fri.getTime() + 60_000), [A]));
    expect(smtp.received.length).toBe(before + 1);
    expect((await briefs(tdb.db, A)).filter((r) => r.kind === 'daily').map((r) => r.local_date)).toEqual(['2026-12-01', '2026-12-02', '2026-12-04']);
  });

  it('email: false keeps the brief on the Today page only, saying why', async () => {
    const quiet = { ...A, brief: BriefSection.parse({ email: false }) };
    const before = smtp.received.length;
    const pass = await runBriefs(deps(tdb.db, () => new Date('2026-12-05T13:00:00Z'), [quiet]));
    expect(pass.notSent).toEqual(['brief-a/daily/2026-12-05: email is off (brief.email: false in tenant.yaml)']);
    expect(smtp.received.length).toBe(before);
  });
});

describe('weekly report', () => {
  it('is mailed on weekly_on with the ledger of last week vs the week before and an inline PNG chart of 8 weeks', async () => {
    const weekly = (await briefs(tdb.db, A)).find((r) => r.kind === 'weekly')!;
    expect(weekly.local_date).toBe('2026-12-01');
    const c = weekly.content as BriefContent;
    const weeks = (c.figures as any).weeks as Array<{ week: string; hoursSaved: number; actions: number }>;
    expect(weeks.map((w) => w.week)).toEqual(['2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23']);
    expect(weeks.map((w) => w.actions)).toEqual([0, 0, 0, 0, 0, 0, 1, 3]);
    expect(weeks[7]!.hoursSaved).toBeGreaterThan(weeks[6]!.hoursSaved);
    expect(c.parts[0]!.summary).toMatch(/^Last week \(from Nov 23\) AIOS took 3 actions and saved [\d.]+ h \(week before: [\d.]+ h\)\.$/);
    expect(c.parts[0]!.lines.map((l) => l.text.split(':')[0])).toEqual(['Hours saved', 'Value', 'Cost', 'ROI', 'First reply (median)']);
    const m = (await mails()).find((x) => x.subject?.includes('your week of Nov 23'))!;
    expect(m).toBeTruthy();
    const png = m.attachments.find((a) => a.contentType === 'image/png')!;
    expect(png.filename).toBe('hours-saved.png');
    expect(png.contentDisposition).toBe('inline');
    // The HTML shows it where it says cid:… (mailparser swaps a resolved cid for the image's data).
    expect(png.cid).toMatch(/^chart-br_\w+@aios$/);
    expect(m.html).toContain('<img src="data:image/png;base64,');
    expect(smtp.received.map((r) => r.toString('latin1')).join('')).toContain(`Content-ID: <${png.cid}>`);
    const bytes = png.content;
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1040, 440]); // 520 × 220 at 2×
    expect(bytes.length).toBeGreaterThan(3_000);
    expect(bytes.length).toBeLessThan(200_000);
  });
});

describe('when a brief is due', () => {
  const t = (timeZone: string, brief: Record<string, unknown> = {}) => ({ timeZone, brief: BriefSection.parse(brief) });
  it('follows each business\'s own time zone', () => {
    const at = new Date('2026-12-01T12:31:00Z');
    expect(dueBriefs(t('America/Toronto'), at)).toEqual([{ kind: 'daily', localDate: '2026-12-01' }]); // 07:31
    expect(dueBriefs(t('America/Vancouver'), at)).toEqual([]); // 04:31
    expect(dueBriefs(t('Asia/Tokyo'), new Date('2026-11-30T22:29:00Z'))).toEqual([]); // 07:29 Tue 1 Dec
    expect(dueBriefs(t('Asia/Tokyo', { weekly_on: 'tuesday' }), new Date('2026-11-30T22:30:00Z'))).toEqual([{ kind: 'daily', localDate: '2026-12-01' }, { kind: 'weekly', localDate: '2026-12-01' }]);
  });
  it('is right across DST: a time in the skipped spring hour falls due when the clock jumps past it', () => {
    // Toronto, Sunday 14 March 2027: 02:00 EST becomes 03:00 EDT.
    const z = t('America/Toronto', { daily_at: '02:30' });
    expect(dueBriefs(z, new Date('2027-03-14T06:59:00Z'))).toEqual([]); // 01:59 EST
    expect(dueBriefs(z, new Date('2027-03-14T07:00:00Z'))).toEqual([{ kind: 'daily', localDate: '2027-03-14' }]); // 03:00 EDT
    // Autumn, 7 November 2027: 07:30 is 12:30 UTC (EST), one hour later in UTC than the day before (EDT).
    const y = t('America/Toronto');
    expect(dueBriefs(y, new Date('2027-11-06T11:30:00Z'))).toHaveLength(1);
    expect(dueBriefs(y, new Date('2027-11-07T11:30:00Z'))).toEqual([]);
    expect(dueBriefs(y, new Date('2027-11-07T12:30:00Z'))).toEqual([{ kind: 'daily', localDate: '2027-11-07' }]);
  });
});

describe('brief: in tenant.yaml', () => {
  const yaml = (brief: string) => `slug: acme\nname: Acme\ntime_zone: America/Toronto\nphone: "+14165550100"\nowner:\n  name: Ann\nbrief:\n${brief}`;
  it('defaults: 07:30, monday, email on, to the owner', () => {
    expect(parseTenantFile(yaml('  {}\n'), 'tenants/acme/tenant.yaml').brief).toEqual({ daily_at: '07:30', weekly_on: 'monday', email: true });
  });
  it('a bad section is refused with the file, the field and what to write', () => {
    let err: unknown;
    try {
      parseTenantFile(yaml('  daily_at: "7.30"\n  weekly_on: mondy\n  to: ann-at-example\n  emial: true\n'), 'tenants/acme/tenant.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = String((err as Error).message) + JSON.stringify(err);
    expect(text).toContain('tenants/acme/tenant.yaml');
    expect(text).toContain('brief.daily_at');
    expect(text).toContain('must be a local time HH:MM (24-hour), such as \\"07:30\\"');
    expect(text).toContain('brief.weekly_on');
    expect(text).toContain('must be a day of the week');
    expect(text).toContain('brief.to');
    expect(text).toContain('brief.emial');
    expect(text).toContain('did you mean "email"');
  });
});

let p2: string | undefined;
function p2Id(): string {
  return p2!;
}
beforeAll(async () => {
  p2 = (await tdb.db.selectFrom('conversations').select('id').where('tenant_id', '=', A.id).where('address', '=', '+14165550302').executeTakeFirstOrThrow()).id;
});
