import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { startHarness, eventually, AUTO_POLICY, type Harness } from './support/harness.js';
import { ACTION_KINDS } from '../src/records/action-minutes.js';

const A = { slug: 'acme', phone: '+14165550100' };
const FAST = { slug: 'fastco', phone: '+14165550200' };
let h: Harness;
let tokenA: string;

beforeAll(async () => {
  h = await startHarness([
    { ...A, policy: AUTO_POLICY },
    { ...FAST, policy: AUTO_POLICY, missedCall: { reply_wait_hours: 0.0005 } }, // 1.8 s reply wait
  ]);
  tokenA = h.aios.cliTokens.get(A.slug)!;
});
afterAll(() => h?.stop());

const smsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);
const runFor = async (tenantSlug: string, caller: string) => {
  const tid = h.aios.tenants.bySlugOrThrow(tenantSlug).id;
  return h.aios.db.selectFrom('runs').innerJoin('signals', 'signals.id', 'runs.trigger_ref').selectAll('runs').where('runs.tenant_id', '=', tid).where('signals.subject', '=', caller).executeTakeFirst();
};

describe('missed call → text-back → reply → lead (auto-send)', () => {
  const caller = '+14165550142';

  it('texts the caller once, from the business number, with the booking link', async () => {
    const res = await h.voice(caller, A.phone, { callerName: 'Priya Shah' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/xml');
    const [msg] = await eventually(async () => smsTo(caller).length === 1 && smsTo(caller), 10_000, 'the text-back');
    expect(msg!.from).toBe(A.phone);
    expect(msg!.body).toContain('Hi Priya');
    expect(msg!.body).toContain('https://book.example/acme');
    const run = await eventually(async () => {
      const r = await runFor(A.slug, caller);
      return r?.status === 'waiting' && r.waiting_for?.includes('reply') ? r : undefined;
    }, 10_000, 'run waiting for reply');
    expect(run.playbook).toBe('missed-call-text-back');
  });

  it('records the text in the outbox, the conversation and the ledger', async () => {
    const ob = await h.api(tokenA, 'GET', '/api/v1/outbox');
    const row = ob.json.outbox.find((o: any) => o.recipient === caller);
    expect(row).toMatchObject({ status: 'sent', kind: 'sms.send', channel: 'sms' });
    expect(row.provider_ref).toMatch(/^SM[0-9a-f]{32}$/);
    const ledger = await h.api(tokenA, 'GET', '/api/v1/ledger');
    const entry = ledger.json.entries.find((e: any) => e.category === 'missed_call_text_back');
    expect(Number(entry.minutes_saved)).toBe(ACTION_KINDS.missedCallBack.minutes);
    expect(Number(entry.response_ms)).toBeGreaterThanOrEqual(0);
    expect(Number(entry.response_ms)).toBeLessThan(5_000);
  });

  it('the reply joins the conversation, opens a deal in "new lead" and is answered (the booking conversation, v2)', async () => {
    const res = await h.sms(caller, A.phone, 'My kitchen sink is leaking, can you come Friday?');
    expect(res.status).toBe(200);
    await eventually(async () => smsTo(caller).length === 2, 10_000, 'the answer to the reply');
    const run = (await runFor(A.slug, caller))!;
    expect(run.version).toBe(2);
    const deals = await h.api(tokenA, 'GET', '/api/v1/deals');
    expect(deals.json.deals).toHaveLength(1);
    expect(deals.json.deals[0]).toMatchObject({ stage: 'new lead', source: 'missed_call' });
    const contacts = await h.api(tokenA, 'GET', '/api/v1/contacts');
    const contact = contacts.json.contacts.find((c: any) => c.phone === caller);
    expect(contact.name).toBe('Priya Shah');
    await eventually(async () => (await h.api(tokenA, 'GET', `/api/v1/contacts/${contact.id}/messages`)).json.messages.length === 3, 5_000, 'three messages');
    const msgs = await h.api(tokenA, 'GET', `/api/v1/contacts/${contact.id}/messages`);
    expect(msgs.json.messages.map((m: any) => m.direction)).toEqual(['outbound', 'inbound', 'outbound']);
    const signals = await h.api(tokenA, 'GET', '/api/v1/signals');
    expect(signals.json.signals.find((s: any) => s.kind === 'missed_call' && s.subject === caller).status).not.toBe('open');
  });

  it('a duplicate webhook delivery makes one event, one run, one text', async () => {
    const dupCaller = '+14165550143';
    const callSid = 'CA' + '1'.repeat(32);
    const first = await h.voice(dupCaller, A.phone, { callSid });
    const second = await h.voice(dupCaller, A.phone, { callSid });
    expect(first.headers.get('x-aios-duplicate')).toBe('false');
    expect(second.headers.get('x-aios-duplicate')).toBe('true');
    await eventually(async () => smsTo(dupCaller).length === 1, 10_000, 'text');
    await new Promise((r) => setTimeout(r, 500));
    expect(smsTo(dupCaller)).toHaveLength(1);
    const tid = h.aios.tenants.bySlugOrThrow(A.slug).id;
    const events = await h.aios.db.selectFrom('events').select('id').where('tenant_id', '=', tid).where('dedup_key', '=', `twilio:call:${callSid}`).execute();
    expect(events).toHaveLength(1);
    const runs = await h.aios.db.selectFrom('runs').innerJoin('signals', 'signals.id', 'runs.trigger_ref').select('runs.id').where('signals.subject', '=', dupCaller).execute();
    expect(runs).toHaveLength(1);
  });

  it('a caller who rings again within the window is not texted twice', async () => {
    const again = '+14165550144';
    await h.voice(again, A.phone);
    await eventually(async () => smsTo(again).length === 1, 10_000, 'first text');
    await h.voice(again, A.phone, { status: 'busy' });
    await new Promise((r) => setTimeout(r, 700));
    expect(smsTo(again)).toHaveLength(1);
    const sig = await h.api(tokenA, 'GET', '/api/v1/signals');
    expect(sig.json.signals.filter((s: any) => s.subject === again)).toEqual([expect.objectContaining({ occurrences: 2 })]);
  });

  it('an answered call is recorded, but raises no signal and texts nobody', async () => {
    const tid = h.aios.tenants.bySlugOrThrow(A.slug).id;
    const res = await h.voice('+14165550145', A.phone, { status: 'completed' });
    expect(res.status).toBe(200);
    const events = await h.aios.db.selectFrom('events').select('type').where('tenant_id', '=', tid).where(sql`payload->>'from'`, '=', '+14165550145').execute();
    expect(events.map((e) => e.type)).toEqual(['call.completed']);
    const signals = await h.aios.db.selectFrom('signals').select('id').where('subject', '=', '+14165550145').execute();
    expect(signals).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(smsTo('+14165550145')).toHaveLength(0);
  });

  it('STOP opts out (never texted again), HELP answers, START opts back in', async () => {
    const p = '+14165550146';
    const stop = await h.sms(p, A.phone, ' stop ');
    expect(await stop.text()).toContain('unsubscribed');
    await h.voice(p, A.phone);
    const run = await eventually(async () => {
      const r = await runFor(A.slug, p);
      return r?.status === 'completed' ? r : undefined;
    }, 10_000, 'refused run');
    expect(run.summary).toMatch(/not texted: .*opted out/);
    expect(smsTo(p)).toHaveLength(0);
    const help = await h.sms(p, A.phone, 'HELP');
    expect(await help.text()).toMatch(/<Message>acme Co: call us at \+14165550100\..*Reply STOP/);
    const start = await h.sms(p, A.phone, 'START');
    expect(await start.text()).toContain('resubscribed');
    const contact = await h.aios.db.selectFrom('contacts').select('opted_out_at').where('phone', '=', p).executeTakeFirstOrThrow();
    expect(contact.opted_out_at).toBeNull();
  });
});

describe('no reply', () => {
  it('after the reply wait the run ends, the signal stays open for the owner, no deal is opened', async () => {
    const caller = '+14165550150';
    await h.voice(caller, FAST.phone);
    const run = await eventually(async () => {
      const r = await runFor(FAST.slug, caller);
      return r?.status === 'completed' ? r : undefined;
    }, 15_000, 'run to time out');
    expect(run.summary).toMatch(/no reply within/);
    const tid = h.aios.tenants.bySlugOrThrow(FAST.slug).id;
    const sig = await h.aios.db.selectFrom('signals').selectAll().where('tenant_id', '=', tid).where('subject', '=', caller).executeTakeFirstOrThrow();
    expect(sig.status).toBe('open');
    const deals = await h.aios.db.selectFrom('deals').select('id').where('tenant_id', '=', tid).execute();
    expect(deals).toHaveLength(0);
  });
});
