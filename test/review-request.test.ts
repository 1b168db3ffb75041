import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { Command } from 'commander';
import { conversationCommands } from '../src/cli/conversation-commands.js';
import { startHarness, eventually, AUTO_POLICY, tenantYaml, type Harness } from './support/harness.js';
import { newId } from '../src/core/ids.js';
import { appendMessage } from '../src/records/conversations.js';

const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550999', policy: AUTO_POLICY };
const NOLINK = { slug: 'nolink', phone: '+14165550200', policy: AUTO_POLICY };
const REVIEW = 'https://g.page/r/acme-plumbing/review';

let h: Harness;
let owner: string;

beforeAll(async () => {
  h = await startHarness([
    { ...A, files: { 'tenant.yaml': tenantYaml(A).replace('profile:\n', `profile:\n  review_link: ${REVIEW}\n`) } },
    NOLINK,
  ]);
  owner = h.aios.cliTokens.get(A.slug)!;
});
afterAll(() => h?.stop());

const tid = (slug: string) => h.aios.tenants.bySlugOrThrow(slug).id;
const smsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);

async function customer(slug: string, phone: string, name: string): Promise<string> {
  const id = newId('ct');
  await h.aios.db.insertInto('contacts').values({ id, tenant_id: tid(slug), phone, name, source: 'import', name_source: 'import', name_verified: true }).execute();
  await h.aios.db.insertInto('deals').values({ id: newId('deal'), tenant_id: tid(slug), contact_id: id, title: 'Water heater', stage: 'booked', source: 'sms', created_at: new Date(Date.now() - 3 * 86_400_000) }).execute();
  return id;
}

/** What the appointment run raises when the job is over, dispatched like any signal. Returns the run's summary. */
async function jobDone(slug: string, contactId: string, phone: string): Promise<string> {
  const bookingId = newId('bk');
  const signal = await h.aios.db.insertInto('signals').values({
    id: newId('sig'), tenant_id: tid(slug), kind: 'job_done', subject: phone, severity: 'normal', dedup_key: `job_done:${bookingId}`,
    data: JSON.stringify({ bookingId, contactId, channel: 'sms', address: phone, name: null }),
  }).returningAll().executeTakeFirstOrThrow();
  const [runId] = await h.aios.host.dispatchSignal(signal);
  expect(runId).toMatch(/^review-request@1:/);
  const run = await eventually(async () => {
    const r = await h.aios.db.selectFrom('runs').selectAll().where('id', '=', runId!).executeTakeFirst();
    return r?.status === 'completed' && r;
  }, 10_000, 'review-request run');
  return run.summary ?? '';
}

describe('review request after the job', () => {
  it('texts the review link once, with the ledger entry', async () => {
    const p = '+14165550601';
    const c = await customer(A.slug, p, 'Priya Shah');
    expect(await jobDone(A.slug, c, p)).toContain('review request texted');
    const msgs = smsTo(p);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.body).toContain(REVIEW);
    expect(msgs[0]!.body).toMatch(/^Hi Priya,/);
    const ledger = await h.api(owner, 'GET', '/api/v1/ledger');
    expect(ledger.json.entries.filter((e: any) => e.category === 'review_request')).toHaveLength(1);
  });

  it('not twice within months_between (default 6)', async () => {
    const p = '+14165550601';
    const c = (await h.aios.db.selectFrom('contacts').select('id').where('tenant_id', '=', tid(A.slug)).where('phone', '=', p).executeTakeFirstOrThrow()).id;
    expect(await jobDone(A.slug, c, p)).toContain('already asked within 6 months');
    expect(smsTo(p)).toHaveLength(1);
  });

  it('never after a complaint since the job was booked', async () => {
    const p = '+14165550602';
    const c = await customer(A.slug, p, 'Kim Tran');
    await appendMessage(h.aios.db, { tenantId: tid(A.slug), channel: 'sms', address: p, direction: 'inbound', body: "I'm not happy, the heater is still leaking", at: new Date(Date.now() - 86_400_000) });
    expect(await jobDone(A.slug, c, p)).toContain('complained');
    expect(smsTo(p)).toHaveLength(0);
  });

  it('never to a contact on the do-not-ask list (PATCH /contacts/:id)', async () => {
    const p = '+14165550603';
    const c = await customer(A.slug, p, 'Lou Martin');
    const patched = await h.api(owner, 'PATCH', `/api/v1/contacts/${c}`, { reviewOptOut: true });
    expect(patched.status).toBe(200);
    expect(patched.json.contact).toEqual({ id: c, reviewOptOut: true });
    const bad = await h.api(owner, 'PATCH', `/api/v1/contacts/${c}`, { reviewOptOut: 'yes' });
    expect(bad.status).toBe(400);
    expect((await h.api(owner, 'PATCH', '/api/v1/contacts/ct_nope', { reviewOptOut: true })).status).toBe(404);
    expect(await jobDone(A.slug, c, p)).toContain('do-not-ask');
    expect(smsTo(p)).toHaveLength(0);
  });

  it('nothing without a review link, and the summary says why', async () => {
    const p = '+14165550604';
    const c = await customer(NOLINK.slug, p, 'Ana Silva');
    expect(await jobDone(NOLINK.slug, c, p)).toContain('no review link');
    expect(smsTo(p)).toHaveLength(0);
  });

  it('`aios review-opt-out <id>` puts a customer on the list and `--undo` takes them off', async () => {
    const p = '+14165550605';
    const c = await customer(A.slug, p, 'Rui Costa');
    const aios = async (...args: string[]) => {
      const out: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((x: string | Uint8Array) => (out.push(String(x)), true));
      try {
        const program = new Command().exitOverride();
        conversationCommands(program, () => ({ url: h.aios.url, token: owner, slug: A.slug, home: h.home }));
        await program.parseAsync(['node', 'aios', ...args]);
      } finally {
        spy.mockRestore();
      }
      return out.join('');
    };
    expect(await aios('review-opt-out', c)).toContain('never asked for a review');
    expect(await jobDone(A.slug, c, p)).toContain('do-not-ask');
    expect(await aios('review-opt-out', c, '--undo')).toContain('may be asked for a review');
    expect(await jobDone(A.slug, c, p)).toContain('review request texted');
    expect(smsTo(p)).toHaveLength(1);
  });
});
