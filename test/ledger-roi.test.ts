import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';
import { ledgerSummary } from '../src/leverage/ledger-summary.js';
import { ACTION_KINDS } from '../src/records/action-minutes.js';
import { CATALOG } from '../src/leverage/audit/catalog.js';
import { seedLedgerHistory, LEDGER_NOW } from './support/ledger-seed.js';

/**
 * The measured ledger and ROI over `GET /api/v1/ledger/summary` and `PATCH /api/v1/ledger/roi`:
 * seeded ledger entries, invoices with reminders, bookings and messages in embedded PostgreSQL →
 * the exact figures; the owner's numbers change them; staff are refused; bad input is a 400 with
 * nothing written; another business's rows are never counted.
 */
const NOW = LEDGER_NOW;
const clock = new ManualClock(NOW);
let h: Harness;
let owner: string;
let beta: string;
let acme: string;
let betaId: string;
const H = 3_600_000;
const file = (slug: string) => join(h.home, 'tenants', slug, 'tenant.yaml');

beforeAll(async () => {
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }, { slug: 'beta', phone: '+14165550200', policy: AUTO_POLICY }], { clock });
  owner = h.aios.cliTokens.get('acme')!;
  beta = h.aios.cliTokens.get('beta')!;
  const all = h.aios.services.tenants.all();
  acme = all.find((x) => x.slug === 'acme')!.id;
  betaId = all.find((x) => x.slug === 'beta')!.id;
  await seedLedgerHistory(h.aios.services.db, acme, 'a_');
  await seedLedgerHistory(h.aios.services.db, betaId, 'b_'); // the same history in another business: never in acme's figures
  await sql`insert into ledger (id, tenant_id, run_id, category, ai_cost_micros, created_at) values ('b_big', ${betaId}, 'b_big', 'ai.draft', 90000000, '2026-02-24T15:00:00Z')`.execute(h.aios.services.db);
}, 90_000);
afterAll(() => h?.stop());

describe('the ledger summary: exact figures from seeded history', () => {
  it('hours saved, money recovered, cost and ROI, each measured or assumed', async () => {
    const r = await h.api(owner, 'GET', '/api/v1/ledger/summary?weeks=4');
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const s = r.json;
    expect(s.period).toMatchObject({ since: '2026-02-09T05:00:00.000Z', until: '2026-03-05T17:00:00.000Z', weeks: 4, days: 24.5, timeZone: 'America/Toronto' });
    expect(s.totals.actions).toBe(7);
    // 3 missed calls × 3 min + 2 leads × 5 + 1 booking × 10 + 1 invoice × 10 = 39 min (defaults; the stored 99 are not used).
    expect(s.totals.hoursSaved).toMatchObject({ value: 0.65, basis: 'assumed' });
    expect(s.totals.money.invoices).toMatchObject({ count: 2, cents: 42_000, basis: 'measured' }); // 30,000 (capped at the chase's balance) + 12,000
    expect(s.totals.money.jobs).toMatchObject({ count: 2, cents: 90_000, averageJobValueCents: 45_000, basis: 'assumed' });
    expect(s.totals.money.totalCents.value).toBe(132_000);
    expect(s.settings.hourlyValue).toMatchObject({ value: 75, basis: 'assumed' });
    expect(s.totals.valueCents).toMatchObject({ value: 4_875 + 132_000, basis: 'assumed' });
    expect(s.totals.aiCostCents).toMatchObject({ value: 150, basis: 'measured' });
    expect(s.totals.runningCostCents).toMatchObject({ value: Math.round((5_000 * 24.5) / 30.44), basis: 'assumed' });
    expect(s.totals.costCents.value).toBe(Math.round((5_000 * 24.5) / 30.44 + 150));
    expect(s.totals.roi.value).toBeCloseTo(136_875 / ((5_000 * 24.5) / 30.44 + 150), 2);
    expect(s.totals.roi.reason).toBeNull();
    // Speed-to-lead: own replies over all history (1 h, 2 h, 4 h), AIOS over all its entries.
    expect(s.totals.speedToLead.before).toEqual({ count: 3, p50Ms: 2 * H, basis: 'measured' });
    expect(s.totals.speedToLead.after).toEqual({ count: 6, p50Ms: 9_000, basis: 'measured' });
    expect(s.canEdit).toBe(true);
  });

  it('weekly series: hours, response medians before/after, money and cost per local week', async () => {
    const s = (await h.api(owner, 'GET', '/api/v1/ledger/summary?weeks=4')).json;
    expect(s.weekly.map((w: any) => w.week)).toEqual(['2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02']);
    expect(s.weekly.map((w: any) => w.hoursSaved)).toEqual([0, 0, 0.15, 0.5]);
    expect(s.weekly.map((w: any) => w.responseP50Ms)).toEqual([{ before: 4 * H, after: null }, { before: 2 * H, after: null }, { before: null, after: 6_000 }, { before: null, after: 20_000 }]);
    expect(s.weekly.map((w: any) => [w.invoiceCents, w.jobsBooked])).toEqual([[0, 0], [12_000, 0], [0, 1], [30_000, 1]]);
    expect(s.weekly.map((w: any) => w.recoveredCents)).toEqual([0, 12_000, 45_000, 75_000]);
    expect(s.weekly[1].aiCostCents).toBe(150);
    expect(s.weekly[0].runningCostCents).toBe(Math.round((5_000 * 7) / 30.44));
    expect(s.weekly[3].runningCostCents).toBe(Math.round((5_000 * 3.5) / 30.44));
    expect(s.weekly.reduce((n: number, w: any) => n + w.valueCents, 0)).toBe(s.totals.valueCents.value);
    expect(s.byCategory.find((c: any) => c.category === 'missed_call_text_back')).toMatchObject({ actions: 3, minutesPerAction: 3, minutesBasis: 'assumed', hoursSaved: 0.15 });
  });

  it('the module answers the same as the endpoint (the weekly brief builds on it)', async () => {
    const t = h.aios.services.tenants.get(acme);
    const s = await ledgerSummary(h.aios.services.db, t, { weeks: 4, now: new Date(NOW) });
    expect(s.totals.valueCents.value).toBe(136_875);
    expect(s.weekly).toHaveLength(4);
  });

  it('minutes per action have one source: the audit catalog states the same numbers', () => {
    const missed = CATALOG.find((c) => c.id === 'missed-call-text-back')!.estimate!({ callsPerWeek: 10, missedCallShare: 0.5 } as any);
    expect(missed.reasoning.join(' ')).toContain(`${ACTION_KINDS.missedCallBack.source}: `);
    expect(missed.reasoning.join(' ')).toContain(`× ${ACTION_KINDS.missedCallBack.minutes} min`);
  });
});

describe("the owner's numbers", () => {
  it('change the figures, are written into tenant.yaml (the rest kept) and audited', async () => {
    const before = readFileSync(file('acme'), 'utf8');
    const r = await h.api(owner, 'PATCH', '/api/v1/ledger/roi', { minutes: { missed_call_text_back: 6 }, hourlyValue: 100, runningCostCentsPerMonth: 0 });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.changed).toEqual(['minutes.missed_call_text_back', 'hourly_value', 'running_cost_cents_per_month']);
    const yaml = readFileSync(file('acme'), 'utf8');
    expect(yaml.startsWith(before.trimEnd().split('\n')[0]!)).toBe(true);
    expect(yaml).toContain('booking_link: https://book.example/acme');
    expect(yaml).toMatch(/roi:\n\s+minutes:\n\s+missed_call_text_back: 6\n\s+hourly_value: 100\n\s+running_cost_cents_per_month: 0/);
    const s = (await h.api(owner, 'GET', '/api/v1/ledger/summary?weeks=4')).json;
    // 3 × 6 + 10 + 10 + 10 = 48 min = 0.8 h × 100 = 8,000; cost is the AI alone.
    expect(s.totals.hoursSaved.value).toBe(0.8);
    expect(s.settings.hourlyValue).toMatchObject({ value: 100, basis: 'answered' });
    expect(s.settings.minutes.find((m: any) => m.category === 'missed_call_text_back')).toMatchObject({ minutes: 6, basis: 'answered' });
    expect(s.totals.valueCents.value).toBe(8_000 + 132_000);
    expect(s.totals.runningCostCents).toMatchObject({ value: 0, basis: 'answered' });
    expect(s.totals.roi.value).toBeCloseTo(140_000 / 150, 2);
    const log = await h.aios.services.db.selectFrom('audit_log').select('action').where('tenant_id', '=', acme).where('action', '=', 'settings.roi').execute();
    expect(log).toHaveLength(1);
    // null puts the default back.
    const back = await h.api(owner, 'PATCH', '/api/v1/ledger/roi', { minutes: { missed_call_text_back: null } });
    expect(back.status).toBe(200);
    expect(back.json.settings.minutes.find((m: any) => m.category === 'missed_call_text_back')).toMatchObject({ minutes: 3, basis: 'assumed' });
  });

  it('ROI is null with a reason when the period cost nothing', async () => {
    expect((await h.api(beta, 'PATCH', '/api/v1/ledger/roi', { runningCostCentsPerMonth: 0 })).status).toBe(200);
    const s = (await h.api(beta, 'GET', '/api/v1/ledger/summary?weeks=1')).json;
    expect(s.totals.costCents.value).toBe(0);
    expect(s.totals.roi.value).toBeNull();
    expect(s.totals.roi.reason).toMatch(/cost of the period is 0/);
  });

  it('bad input is a 400 saying what to send, nothing written', async () => {
    const before = readFileSync(file('acme'), 'utf8');
    for (const body of [{ minutes: { missed_call_text_back: -1 } }, { minutes: { missed_call_text_back: 'ten' } }, { hourlyValue: 1e9 }, { runningCostCentsPerMonth: 10.5 }, { minutes: { made_up_kind: 3 } }, {}, { hourly: 90 }]) {
      const r = await h.api(owner, 'PATCH', '/api/v1/ledger/roi', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.fix, JSON.stringify(r.json)).toBeTruthy();
    }
    const unknown = await h.api(owner, 'PATCH', '/api/v1/ledger/roi', { minutes: { made_up_kind: 3 } });
    expect(unknown.json.message).toMatch(/roi\.minutes\.made_up_kind no action kind named "made_up_kind" .*missed_call_text_back/);
    const typo = await h.api(owner, 'PATCH', '/api/v1/ledger/roi', { minutes: { missed_call_textback: 3 } });
    expect(typo.json.message).toMatch(/did you mean "missed_call_text_back"/);
    expect(readFileSync(file('acme'), 'utf8')).toBe(before);
    expect((await h.api(owner, 'GET', '/api/v1/ledger/summary?weeks=0')).status).toBe(400);
    expect((await h.api(owner, 'GET', '/api/v1/ledger/summary?weeks=abc')).status).toBe(400);
    expect((await h.api(owner, 'GET', '/api/v1/ledger/summary?weeks=105')).status).toBe(400);
  });
});

describe('who may', () => {
  it('staff read the summary but cannot change the numbers; no token reads nothing', async () => {
    const added = await h.api(owner, 'POST', '/api/v1/users', { name: 'Sam', email: 'sam@acme.example', role: 'staff' });
    expect(added.status).toBe(201);
    const tok = await h.api(owner, 'POST', '/api/v1/tokens', { name: 'sam desk', principal: added.json.user.id });
    expect(tok.status).toBe(201);
    const staff = tok.json.token;
    const read = await h.api(staff, 'GET', '/api/v1/ledger/summary');
    expect(read.status).toBe(200);
    expect(read.json.canEdit).toBe(false);
    expect(read.json.weekly).toHaveLength(12);
    const before = readFileSync(file('acme'), 'utf8');
    const r = await h.api(staff, 'PATCH', '/api/v1/ledger/roi', { hourlyValue: 1 });
    expect(r.status).toBe(403);
    expect(readFileSync(file('acme'), 'utf8')).toBe(before);
    const assistant = await h.api(owner, 'POST', '/api/v1/tokens', { name: 'claude', kind: 'assistant' });
    expect((await h.api(assistant.json.token, 'PATCH', '/api/v1/ledger/roi', { hourlyValue: 1 })).status).toBe(403);
    expect((await fetch(`${h.aios.url}/api/v1/ledger/summary`)).status).toBe(401);
  });

  it("another business's rows are never counted", async () => {
    const s = (await h.api(beta, 'GET', '/api/v1/ledger/summary?weeks=4')).json;
    // Beta has the same seeded history plus its own $900 model bill; acme's figures above did not see it.
    expect(s.totals.aiCostCents.value).toBe(150 + 9_000);
    expect(s.totals.money.invoices.cents).toBe(42_000);
    const a = (await h.api(owner, 'GET', '/api/v1/ledger/summary?weeks=4')).json;
    expect(a.totals.aiCostCents.value).toBe(150);
    expect(a.totals.money.invoices.count).toBe(2);
    expect(a.totals.speedToLead.before.count).toBe(3);
  });
});
