import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { simpleParser } from 'mailparser';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { runCli } from './support/cli-in-process.js';
import { ManualClock } from '../src/core/clock.js';
import { briefCommand } from '../src/cli/brief-command.js';

/**
 * The brief through the running instance: the scheduler's first pass at start (a server started at
 * 09:10 sends today's brief once), `GET /api/v1/brief` per business, `POST /api/v1/brief/send`
 * (admin only, once a day), and `aios brief`.
 */
const yaml = (slug: string, phone: string, owner: string) => `slug: ${slug}
name: ${slug} Co
time_zone: America/Toronto
phone: "${phone}"
owner:
  name: Owner
${owner}brief:
  daily_at: "07:30"
  weekly_on: friday
`;
const A = { slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY, files: { 'tenant.yaml': yaml('acme', '+14165550100', '  email: ann@acme.example\n') } };
const B = { slug: 'beta', phone: '+14165550200', policy: AUTO_POLICY, files: { 'tenant.yaml': yaml('beta', '+14165550200', '') } };
let h: Harness;
let smtp: SmtpSink;
// Wednesday 2 December 2026, 09:10 in Toronto: the server "was down" at 07:30.
const clock = new ManualClock('2026-12-02T14:10:00Z');

beforeAll(async () => {
  smtp = await startSmtpSink();
  h = await startHarness([A, B], { clock, config: { AIOS_SMTP_URL: smtp.url, AIOS_SMTP_FROM: '"AIOS" <aios@aios.example>' } });
});
afterAll(async () => {
  await h?.stop();
  await smtp?.close();
});

const token = (slug: string) => h.aios.cliTokens.get(slug)!;

describe('brief through the running instance', () => {
  it('starting at 09:10 sends today\'s brief once (catch-up), and the next ticks send nothing more', async () => {
    const first = await h.aios.briefs.firstPass;
    expect(first.sent).toEqual(['acme/daily/2026-12-02']);
    clock.advance(60_000);
    const again = await h.aios.briefs.runNow();
    expect(again.sent).toEqual([]);
    expect(smtp.received).toHaveLength(1);
    const m = await simpleParser(smtp.received[0]!);
    expect(m.subject).toBe('acme Co: your brief for 2026-12-02');
    expect(m.text).toContain(`Open the dashboard: ${h.aios.url}/`);
  });

  it('GET /api/v1/brief: each business sees its own latest brief and whether it was emailed, or why not', async () => {
    const a = await h.api(token('acme'), 'GET', '/api/v1/brief');
    expect(a.status).toBe(200);
    expect(a.json.brief).toMatchObject({ kind: 'daily', localDate: '2026-12-02', emailed: true, emailTo: 'ann@acme.example', sentAt: '2026-12-02T14:10:00.000Z', notEmailedReason: null });
    expect(a.json.brief.parts.map((p: any) => p.title)).toEqual(['What came in', 'What AIOS did', 'What waits for you', 'Money at risk']);
    expect(a.json.schedule).toEqual({ timeZone: 'America/Toronto', dailyAt: '07:30', weeklyOn: 'friday', email: true, to: 'ann@acme.example', cannotEmail: null });
    const b = await h.api(token('beta'), 'GET', '/api/v1/brief');
    expect(b.json.brief).toMatchObject({ localDate: '2026-12-02', emailed: false, emailTo: null, notEmailedReason: 'no address: set brief.to or owner.email in tenant.yaml' });
    expect(b.json.brief.id).not.toBe(a.json.brief.id);
    expect(JSON.stringify(b.json)).not.toContain('acme');
    const w = await h.api(token('acme'), 'GET', '/api/v1/brief?kind=weekly');
    expect(w.json.brief).toBeNull();
    expect((await h.api(token('acme'), 'GET', '/api/v1/brief?kind=monthly')).status).toBe(400);
    expect((await fetch(`${h.aios.url}/api/v1/brief`)).status).toBe(401);
  });

  it('POST /api/v1/brief/send: a read-only token is refused; the owner gets the weekly report now, once', async () => {
    const reader = (await h.api(token('acme'), 'POST', '/api/v1/tokens', { name: 'reader', kind: 'integration', scopes: ['read'] })).json.token as string;
    const refused = await h.api(reader, 'POST', '/api/v1/brief/send', { kind: 'weekly' });
    expect(refused.status).toBe(403);
    expect(smtp.received).toHaveLength(1);
    const sent = await h.api(token('acme'), 'POST', '/api/v1/brief/send', { kind: 'weekly' });
    expect(sent.status).toBe(200);
    expect(sent.json.brief).toMatchObject({ kind: 'weekly', localDate: '2026-12-02', emailed: true });
    const twice = await h.api(token('acme'), 'POST', '/api/v1/brief/send', { kind: 'weekly' });
    expect(twice.json.brief.id).toBe(sent.json.brief.id);
    expect(smtp.received).toHaveLength(2);
    const m = await simpleParser(smtp.received[1]!);
    expect(m.attachments.map((x) => x.contentType)).toEqual(['image/png']);
  });

  it('aios brief prints it in words; aios brief --weekly too', async () => {
    const target = { url: h.aios.url, token: token('acme'), slug: 'acme', home: h.home };
    const out = await runCli((p) => briefCommand(p, () => target), 'brief');
    expect(out).toContain('acme Co: your brief for 2026-12-02\n');
    expect(out).toContain('What waits for you: Nothing waits for you.');
    expect(out).toContain('Emailed to ann@acme.example at 2026-12-02T14:10:00.000Z.');
    const weekly = await runCli((p) => briefCommand(p, () => target), 'brief', '--weekly');
    expect(weekly).toContain('The ledger: Last week (from Nov 23) AIOS took 0 actions and saved 0 h (week before: 0 h).');
    const betaOut = await runCli((p) => briefCommand(p, () => ({ ...target, token: token('beta'), slug: 'beta' })), 'brief');
    expect(betaOut).toContain('Not emailed: no address: set brief.to or owner.email in tenant.yaml.');
  });
});
