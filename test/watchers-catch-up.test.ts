import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { startAios, type Aios } from '../src/server/runtime.js';
import { ManualClock } from '../src/core/clock.js';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { inboundEmail, deal, invoice, meeting } from './support/back-office-rows.js';

/**
 * Catch-up after downtime: what should have fired while AIOS was stopped fires once at the next
 * start (the scheduler's first pass covers everything since each watcher's `watcher_state`), and
 * a further restart raises nothing new.
 */
const H = 3_600_000;
const D = 24 * H;
const SLUG = 'downtime';
// Monday 2026-12-07 10:00 in Toronto.
const clock = new ManualClock('2026-12-07T15:00:00Z');
const TENANT_YAML = `slug: ${SLUG}
name: Downtime Co
time_zone: America/Toronto
phone: "+14165550180"
owner:
  name: Owner
profile:
  tone: friendly
  hours: { mon: ["08:00", "17:00"], tue: ["08:00", "17:00"], wed: ["08:00", "17:00"], thu: ["08:00", "17:00"], fri: ["08:00", "17:00"], sat: closed, sun: closed }
`;
let h: Harness;
const started: Aios[] = [];

beforeAll(async () => {
  h = await startHarness([{ slug: SLUG, phone: '+14165550180', policy: AUTO_POLICY, files: { 'tenant.yaml': TENANT_YAML, 'knowledge/offer.md': '---\nvalid_until: 2026-12-24\n---\n# Winter offer\n\nTune-up: $99\n' } }], { clock });
  await h.aios.watch.firstPass;
}, 60_000);
afterAll(async () => {
  for (const a of started) await a.stop();
  await h?.stop();
});

/** Starts AIOS again in this process on the same home and database (DBOS forgets the stopped instance's registrations first). */
async function restart(): Promise<Aios> {
  await DBOS.shutdown({ deregister: true });
  const a = await startAios({ config: h.aios.config, clock, demo: false, env: {} });
  started.push(a);
  await a.watch.firstPass;
  return a;
}

describe('catch-up after downtime', () => {
  it('stop, move the clock 3 days, start: each overdue thing fires exactly once; restart: nothing new', async () => {
    const db = h.aios.db;
    const tenantId = h.aios.tenants.bySlugOrThrow(SLUG).id;
    const now = clock.now();
    // Nothing is due yet: each crosses its threshold during the downtime.
    await inboundEmail(db, tenantId, 'erin@cust.example', 'Can you come Thursday?', now); // 4 business hours: at 14:00 today
    const { dealId } = await deal(db, tenantId, 'dan@cust.example', 'quoted', new Date(now.getTime() - 5 * D)); // 7 days: in 2 days
    const soon = await invoice(db, tenantId, { dueAt: new Date(now.getTime() + 5 * D) }); // due soon (3 days) in 2 days
    const late = await invoice(db, tenantId, { dueAt: new Date(now.getTime() + D) }); // due soon now, overdue in 2 days
    const meet = await meeting(db, tenantId, new Date(now.getTime() + H), new Date(now.getTime() + 2 * H), [{ email: 'mo@cust.example' }]); // ends in 2 h
    const before = await h.aios.watch.runNow();
    expect(before.failed).toEqual([]);
    const subjects = ['erin@cust.example', dealId, soon, late, meet, 'offer.md'];
    const count = async (a: Aios) =>
      (await a.db.selectFrom('signals').select(['kind', 'subject']).where('tenant_id', '=', tenantId).where('subject', 'in', subjects).execute()).map((s) => `${s.kind} ${s.subject}`).sort();
    expect(await count(h.aios)).toEqual([`invoice_due_soon ${late}`].sort());
    const state = await h.aios.db.selectFrom('signals').select('id').where('kind', '=', 'knowledge_expiring').where('tenant_id', '=', tenantId).execute();
    expect(state).toHaveLength(0); // 17 days left: not yet within 14

    await h.aios.stop();
    clock.advance(3 * D);
    const second = await restart();
    const fired = await count(second);
    expect(fired).toEqual(
      [
        `invoice_due_soon ${late}`,
        'email_unanswered erin@cust.example',
        `deal_stalled ${dealId}`,
        `invoice_due_soon ${soon}`,
        `invoice_overdue ${late}`,
        `meeting_ended ${meet}`,
        `meeting_no_follow_up ${meet}`,
        'knowledge_expiring offer.md',
      ].sort(),
    );
    const knowledge = await second.db.selectFrom('signals').select(['subject', 'data']).where('kind', '=', 'knowledge_expiring').where('tenant_id', '=', tenantId).execute();
    expect(knowledge).toHaveLength(1);
    expect(knowledge[0]!.data).toMatchObject({ validUntil: '2026-12-24', daysLeft: 14 });
    // The catch-up dispatched what it raised (playbooks triggered by these kinds start from it).
    const undispatched = await second.db.selectFrom('signals').select('id').where('tenant_id', '=', tenantId).where('dispatched_at', 'is', null).execute();
    expect(undispatched).toEqual([]);

    await second.stop();
    const third = await restart();
    const pass = await third.watch.runNow();
    expect(pass.raised).toBe(0);
    expect(await count(third)).toEqual(fired);
    expect(await third.db.selectFrom('signals').select('id').where('kind', '=', 'knowledge_expiring').where('tenant_id', '=', tenantId).execute()).toHaveLength(1);
  }, 120_000);
});
