import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from './support/test-db.js';
import { agencyOverview } from '../src/leverage/agency/agency-overview.js';
import type { TenantInfo } from '../src/records/tenants.js';
import type { UserRole } from '../src/records/scopes.js';

/** Businesses one implementer works for, and what each holds. */
const BUSINESSES = 300;
const NOW = new Date('2026-03-05T17:00:00Z');

let t: TestDatabase;
const members: Array<{ tenantId: string; slug: string; name: string; role: UserRole }> = [];
const infos = new Map<string, TenantInfo>();

beforeAll(async () => {
  t = await createTestDatabase();
  const { db } = t;
  // Set-based seeding: 300 businesses × (20 runs, 20 texts, 30 ledger entries, 3 pending approvals, 2 open signals, 1 failing connection).
  await sql`insert into tenants (id, slug, name, time_zone, phone)
    select 'tn_s' || i, 'biz-' || i, 'Business ' || i, case when i % 3 = 0 then 'America/Vancouver' else 'America/Toronto' end, '+1416555' || lpad(i::text, 4, '0')
    from generate_series(1, ${BUSINESSES}) i`.execute(db);
  await sql`insert into runs (id, tenant_id, playbook, version, status, trigger_type, trigger_ref, started_at)
    select 'run_' || i || '_' || j, 'tn_s' || i, 'missed-call-text-back', 2, 'completed', 'signal', 'x' || j, ${NOW}::timestamptz - (j || ' hours')::interval * 7
    from generate_series(1, ${BUSINESSES}) i, generate_series(1, 20) j`.execute(db);
  await sql`insert into outbox (id, tenant_id, idempotency_key, kind, channel, recipient, payload, status, sent_at)
    select 'ob_' || i || '_' || j, 'tn_s' || i, 'k' || i || '_' || j, 'sms.send', case when j % 4 = 0 then 'email' else 'sms' end, '+14165550999', '{}', 'sent', ${NOW}::timestamptz - (j || ' hours')::interval * 7
    from generate_series(1, ${BUSINESSES}) i, generate_series(1, 20) j`.execute(db);
  await sql`insert into ledger (id, tenant_id, run_id, category, minutes_saved, ai_cost_micros, created_at)
    select 'led_' || i || '_' || j, 'tn_s' || i, 'run_' || i || '_' || j, case when j % 5 = 0 then 'ai.draft' else 'missed_call_text_back' end, 3, case when j % 5 = 0 then 1000 else 0 end, ${NOW}::timestamptz - (j || ' hours')::interval * 5
    from generate_series(1, ${BUSINESSES}) i, generate_series(1, 30) j`.execute(db);
  await sql`insert into approvals (id, tenant_id, run_id, step_id, action_kind, proposal, reasons, status, deadline)
    select 'ap_' || i || '_' || j, 'tn_s' || i, 'run_' || i || '_1', 's' || j, 'sms.send', '{}', '[]', 'pending', ${NOW}::timestamptz + interval '7 days'
    from generate_series(1, ${BUSINESSES}) i, generate_series(1, 3) j`.execute(db);
  await sql`insert into signals (id, tenant_id, kind, subject, dedup_key, status)
    select 'sg_' || i || '_' || j, 'tn_s' || i, 'missed_call', 'x', 'd' || j, 'open' from generate_series(1, ${BUSINESSES}) i, generate_series(1, 2) j`.execute(db);
  await sql`insert into connections (id, tenant_id, kind, name, credentials_encrypted, cursor, status, last_error)
    select 'cn_' || i, 'tn_s' || i, 'imap', 'Mail', 'sealed', '{}', 'error', 'timeout' from generate_series(1, ${BUSINESSES}) i`.execute(db);
  await sql`analyze`.execute(db);
  for (let i = 1; i <= BUSINESSES; i++) {
    members.push({ tenantId: `tn_s${i}`, slug: `biz-${i}`, name: `Business ${i}`, role: 'implementer' });
    infos.set(`tn_s${i}`, { id: `tn_s${i}`, slug: `biz-${i}`, phone: '+1', timeZone: 'America/Toronto', currency: 'CAD', profile: { tone: 'friendly' } } as TenantInfo);
  }
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('agency overview at 300 businesses', () => {
  it('answers every row from a fixed number of grouped queries, fast enough for a page', async () => {
    const opts = { now: NOW, tenant: (id: string) => infos.get(id), twilioConfigured: true, smtpConfigured: false };
    for (let i = 0; i < 3; i++) await agencyOverview(t.db, members, opts); // warm-up
    const ms: number[] = [];
    let rows: Awaited<ReturnType<typeof agencyOverview>> = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      rows = await agencyOverview(t.db, members, opts);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    const p50 = ms[Math.floor(ms.length * 0.5)]!;
    const p95 = ms[Math.floor(ms.length * 0.95)]!;
    console.log(`agency overview, ${BUSINESSES} businesses: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms`);
    expect(rows).toHaveLength(BUSINESSES);
    // Every business's own numbers (Toronto week since Mon Mar 2 05:00Z: runs and texts 7 h apart back from now, the 12th exactly at the week's start; ledger 5 h apart, 21 since Mar 1 05:00Z).
    const one = rows.find((r) => r.slug === 'biz-7')!;
    expect(one).toMatchObject({ runsThisWeek: 12, textsSentThisWeek: 9, emailsSentThisWeek: 3, approvalsWaiting: 3, signalsOpen: 2, connectionsFailing: 1, aiCostCentsThisMonth: 0.4, hoursSavedThisMonth: 0.85 });
    expect(p95).toBeLessThan(2_000);
  });

  it('issues the same number of queries for 3 businesses as for 300', async () => {
    const opts = { now: NOW, tenant: (id: string) => infos.get(id), twilioConfigured: true, smtpConfigured: false };
    let n = 0;
    const counted = t.db.withPlugin({ transformQuery: (a) => { n++; return a.node; }, transformResult: async (a) => a.result });
    await agencyOverview(counted, members.slice(0, 3), opts);
    const few = n;
    n = 0;
    await agencyOverview(counted, members, opts);
    expect(n).toBe(few);
    expect(few).toBe(10); // periods, runs, sent, ledger, invoices, jobs, approvals, signals, connections, audits
  });
});
