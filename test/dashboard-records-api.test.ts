import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, APPROVE_FIRST_POLICY, type Harness } from './support/harness.js';

/**
 * The dashboard's record endpoints under attack: another business's contact, deal or run id is a
 * 404 that changes nothing; an assistant token (read + propose) cannot move deals or cancel runs;
 * a stage outside the pipeline is a 400 listing the valid stages; a cancelled run stays cancelled.
 */
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550111', policy: APPROVE_FIRST_POLICY };
const B = { slug: 'bobs', phone: '+14165550200', ownerPhone: '+14165550222', policy: APPROVE_FIRST_POLICY };
let h: Harness;
let ownerA: string;
let ownerB: string;
let assistantA: string;
const ids = { contactB: 'ct_b1', dealB: 'deal_b1', contactA: 'ct_a1', dealA: 'deal_a1' };

beforeAll(async () => {
  h = await startHarness([A, B]);
  ownerA = h.aios.cliTokens.get(A.slug)!;
  ownerB = h.aios.cliTokens.get(B.slug)!;
  const t = await h.api(ownerA, 'POST', '/api/v1/tokens', { name: 'claude', kind: 'assistant' });
  expect(t.status).toBe(201);
  assistantA = t.json.token;
  const tenantOf = async (slug: string) => (await h.aios.db.selectFrom('tenants').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id;
  const [ta, tb] = [await tenantOf(A.slug), await tenantOf(B.slug)];
  await h.aios.db.insertInto('contacts').values([
    { id: ids.contactA, tenant_id: ta, name: 'Dana Reyes', phone: '+14165550301', email: 'dana@example.com' },
    { id: ids.contactB, tenant_id: tb, name: 'Secret Customer', phone: '+14165550302', email: 'secret@example.com' },
  ]).execute();
  await h.aios.db.insertInto('deals').values([
    { id: ids.dealA, tenant_id: ta, contact_id: ids.contactA, title: 'Water heater', stage: 'new lead', value_cents: 180000 },
    { id: ids.dealB, tenant_id: tb, contact_id: ids.contactB, title: 'Boiler', stage: 'quoted', value_cents: 900000 },
  ]).execute();
});
afterAll(() => h?.stop());

const stageOf = async (id: string) => (await h.aios.db.selectFrom('deals').select('stage').where('id', '=', id).executeTakeFirstOrThrow()).stage;

describe('another business’s ids', () => {
  it('a contact of business B is a 404 for A, and its name never appears', async () => {
    const r = await h.api(ownerA, 'GET', `/api/v1/contacts/${ids.contactB}/overview`);
    expect(r.status).toBe(404);
    expect(JSON.stringify(r.json)).not.toContain('Secret');
    const own = await h.api(ownerB, 'GET', `/api/v1/contacts/${ids.contactB}/overview`);
    expect(own.status).toBe(200);
    expect(own.json.contact.name).toBe('Secret Customer');
    expect(own.json.deals.map((d: any) => d.title)).toEqual(['Boiler']);
  });

  it('moving B’s deal from A is a 404 and the deal keeps its stage and audit', async () => {
    const r = await h.api(ownerA, 'POST', `/api/v1/deals/${ids.dealB}/stage`, { stage: 'won' });
    expect(r.status).toBe(404);
    expect(await stageOf(ids.dealB)).toBe('quoted');
    const audits = await h.aios.db.selectFrom('audit_log').select('action').where('subject', '=', ids.dealB).execute();
    expect(audits).toEqual([]);
  });

  it('A’s pipeline does not contain B’s deal', async () => {
    const r = await h.api(ownerA, 'GET', '/api/v1/deals/pipeline');
    expect(r.status).toBe(200);
    const all = r.json.stages.flatMap((s: any) => s.deals.map((d: any) => d.id));
    expect(all).toContain(ids.dealA);
    expect(all).not.toContain(ids.dealB);
  });

  it('cancelling B’s run from A is a 404 and the run keeps waiting', async () => {
    await h.voice('+14165550399', B.phone);
    const run = await eventually(async () => h.aios.db.selectFrom('runs').innerJoin('tenants', 'tenants.id', 'runs.tenant_id').select(['runs.id', 'runs.status']).where('tenants.slug', '=', B.slug).where('runs.status', '=', 'waiting').executeTakeFirst(), 15_000, 'B run waiting');
    const r = await h.api(ownerA, 'POST', `/api/v1/runs/${run.id}/cancel`);
    expect(r.status).toBe(404);
    expect((await h.aios.db.selectFrom('runs').select('status').where('id', '=', run.id).executeTakeFirstOrThrow()).status).toBe('waiting');
  });
});

describe('scopes', () => {
  it('an assistant token cannot move a deal (403) and the stage is unchanged', async () => {
    const r = await h.api(assistantA, 'POST', `/api/v1/deals/${ids.dealA}/stage`, { stage: 'won' });
    expect(r.status).toBe(403);
    expect(r.json.message).toContain('decide');
    expect(await stageOf(ids.dealA)).toBe('new lead');
  });

  it('an assistant token cannot cancel a run (403)', async () => {
    const r = await h.api(assistantA, 'POST', '/api/v1/runs/run_whatever/cancel');
    expect(r.status).toBe(403);
    expect(r.json.message).toContain('admin');
  });
});

describe('moving a deal', () => {
  it('a stage outside the pipeline is a 400 whose fix lists the valid stages', async () => {
    const r = await h.api(ownerA, 'POST', `/api/v1/deals/${ids.dealA}/stage`, { stage: 'teleported' });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('teleported');
    for (const s of ['new lead', 'quoted', 'booked', 'won', 'lost']) expect(r.json.fix).toContain(s);
    expect(await stageOf(ids.dealA)).toBe('new lead');
  });

  it('a body without a stage is a 400 that says what to send', async () => {
    const r = await h.api(ownerA, 'POST', `/api/v1/deals/${ids.dealA}/stage`, { colour: 'red' });
    expect(r.status).toBe(400);
    expect(r.json.fix).toContain('stage');
  });

  it('the owner moves it: the pipeline shows it in the new stage at 0 days, and the move is audited', async () => {
    const r = await h.api(ownerA, 'POST', `/api/v1/deals/${ids.dealA}/stage`, { stage: 'quoted' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ from: 'new lead', to: 'quoted', moved: true });
    const p = await h.api(ownerA, 'GET', '/api/v1/deals/pipeline');
    const quoted = p.json.stages.find((s: any) => s.stage === 'quoted');
    expect(quoted).toMatchObject({ count: 1, valueCents: 180000 });
    expect(quoted.deals[0]).toMatchObject({ id: ids.dealA, daysInStage: 0, contactName: 'Dana Reyes' });
    const audit = await h.aios.db.selectFrom('audit_log').select(['action', 'detail']).where('subject', '=', ids.dealA).execute();
    expect(audit).toEqual([{ action: 'deal.stage_moved', detail: { from: 'new lead', to: 'quoted' } }]);
  });
});

describe('cancelling a run', () => {
  it('a waiting run is cancelled for good: row cancelled, its approval expired, deciding it is refused', async () => {
    await h.voice('+14165550398', A.phone);
    const approval = await eventually(async () => (await h.api(ownerA, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.recipient === '+14165550398'), 15_000, 'approval');
    await eventually(async () => (await h.aios.db.selectFrom('runs').select('status').where('id', '=', approval.run_id).executeTakeFirstOrThrow()).status === 'waiting', 10_000, 'waiting');
    const r = await h.api(ownerA, 'POST', `/api/v1/runs/${approval.run_id}/cancel`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ was: 'waiting', approvalsExpired: 1 });
    const again = await h.api(ownerA, 'POST', `/api/v1/runs/${approval.run_id}/cancel`);
    expect(again.status).toBe(409);
    const decide = await h.api(ownerA, 'POST', `/api/v1/approvals/${approval.id}/approve`, {});
    expect(decide.status).toBeGreaterThanOrEqual(400);
    await new Promise((res) => setTimeout(res, 500));
    const run = (await h.api(ownerA, 'GET', `/api/v1/runs/${approval.run_id}`)).json.run;
    expect(run.status).toBe('cancelled');
    expect(h.sink.messages.filter((m) => m.to === '+14165550398')).toEqual([]);
  });
});
