import { runCli } from './support/cli-in-process.js';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { startHarness, AUTO_POLICY, APPROVE_FIRST_POLICY, tenantYaml, type Harness } from './support/harness.js';
import { newId } from '../src/core/ids.js';
import { enqueueOutboxRow, deliverOutbox } from '../src/connection/outbox/outbox.js';
import { playbookCommands } from '../src/cli/playbook-commands.js';
import { ACTION_KINDS } from '../src/records/action-minutes.js';

/**
 * Shadow mode: a playbook replayed over 30 days of past signals reports what it would have done,
 * and nothing happens — no text reaches Twilio, no outbox / ledger / run / deal row is kept.
 * The two playbooks are disabled for the business, so the signals of the window started no live run.
 */
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550199' };
/** A second business whose policy asks the owner before texting someone new. */
const B = { slug: 'askfirst', phone: '+14165550200', ownerPhone: '+14165550299' };
const DAY = 86_400_000;
let h: Harness;
let token: string;
let tenantId: string;
const callers = ['+14165550141', '+14165550142', '+14165550143'];
const leads = ['+14165550151', '+14165550152'];

const yaml = `${tenantYaml({ ...A, policy: AUTO_POLICY })}  lead-response:
    enabled: false
`.replace('playbooks:\n  missed-call-text-back:\n', 'playbooks:\n  # the owner tries it in shadow first\n  missed-call-text-back:\n    enabled: false\n');

async function tableCounts() {
  const n = async (t: 'outbox' | 'ledger' | 'runs' | 'deals' | 'bookings' | 'approvals') => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(h.aios.db)).rows[0]!.n);
  return { outbox: await n('outbox'), ledger: await n('ledger'), runs: await n('runs'), deals: await n('deals'), bookings: await n('bookings'), approvals: await n('approvals') };
}

beforeAll(async () => {
  const yamlB = tenantYaml({ ...B, policy: APPROVE_FIRST_POLICY }).replace('  missed-call-text-back:\n', '  missed-call-text-back:\n    enabled: false\n');
  h = await startHarness([{ ...A, policy: AUTO_POLICY, files: { 'tenant.yaml': yaml } }, { ...B, policy: APPROVE_FIRST_POLICY, files: { 'tenant.yaml': yamlB } }]);
  token = h.aios.cliTokens.get(A.slug)!;
  tenantId = h.aios.tenants.bySlugOrThrow(A.slug).id;
  // Three real missed calls (contacts and signals as intake makes them), moved 2, 9 and 40 days back.
  for (const c of callers) expect((await h.voice(c, A.phone, { callerName: 'Priya Shah' })).status).toBe(200);
  const days = [2, 9, 40];
  for (const [i, c] of callers.entries()) {
    await h.aios.db.updateTable('signals').set({ created_at: new Date(Date.now() - days[i]! * DAY) }).where('subject', '=', c).execute();
  }
  // Two web leads 3 and 20 days ago (the watcher's data shape).
  for (const [i, phone] of leads.entries()) {
    const contactId = newId('ct');
    await h.aios.db.insertInto('contacts').values({ id: contactId, tenant_id: tenantId, phone, name: 'Sam Lee' }).execute();
    const at = new Date(Date.now() - [3, 20][i]! * DAY);
    await h.aios.db.insertInto('signals').values({
      id: newId('sig'), tenant_id: tenantId, kind: 'new_lead', subject: phone, dedup_key: `new_lead:test:${i}`, created_at: at, dispatched_at: at,
      data: JSON.stringify({ message: 'Do you fix leaking taps?', contactId, contactName: 'Sam Lee', phone, email: null, source: 'web_form', receivedAt: at.toISOString() }),
    }).execute();
  }
});
afterAll(() => h?.stop());

describe('shadow mode', () => {
  it('nothing ran live: the playbooks are disabled, so the past signals have no runs and Twilio got nothing', async () => {
    expect(h.sink.messages).toHaveLength(0);
    expect((await tableCounts()).runs).toBe(0);
  });

  it('missed-call-text-back over 30 days: the texts it would have sent, the minutes saved; nothing sent, nothing kept', async () => {
    const before = await tableCounts();
    const dealsBefore = await h.aios.db.selectFrom('deals').selectAll().execute();
    const res = await h.api(token, 'POST', '/api/v1/playbooks/missed-call-text-back/shadow', { since: '30d' });
    expect(res.status).toBe(200);
    const r = res.json.shadow;
    expect(r.signalsFound).toBe(2); // the 40-day-old call is outside the window
    expect(r.runs.map((x: any) => x.subject).sort()).toEqual(callers.slice(0, 2).sort());
    expect(r.runs.every((x: any) => x.status === 'completed')).toBe(true);
    const texts = r.wouldSend.filter((e: any) => e.kind === 'sms.send');
    expect(texts.map((e: any) => e.recipient).sort()).toEqual(callers.slice(0, 2).sort());
    for (const t of texts) {
      expect(t.channel).toBe('sms');
      expect(t.text).toContain('Hi Priya');
      expect(t.text).toContain('https://book.example/acme');
    }
    // Each run waited for a reply that (in shadow) never comes: the virtual clock jumped 48 h.
    expect(r.runs[0].summary).toMatch(/no reply within 48 h/);
    expect(r.ledger.map((l: any) => l.category)).toEqual(['missed_call_text_back', 'missed_call_text_back']);
    expect(r.minutesSaved).toBe(2 * ACTION_KINDS.missedCallBack.minutes);
    expect(r.minutesIfEveryRunCounts).toBe(2 * ACTION_KINDS.missedCallBack.minutes);
    expect(r.refusedChannelCalls).toEqual([]);
    // The texts would have gone out at the time of each call, by the virtual clock.
    const signalTimes = r.runs.map((x: any) => x.occurredAt);
    for (const t of texts) expect(signalTimes).toContain(t.at);

    expect(h.sink.messages).toHaveLength(0);
    expect(await tableCounts()).toEqual(before);
    expect(await h.aios.db.selectFrom('deals').selectAll().execute()).toEqual(dealsBefore);
    expect(await h.aios.db.selectFrom('outbox').selectAll().where('run_id', 'like', 'shadow:%').execute()).toEqual([]);
  });

  it('aios shadow <playbook> --since 30d says it in words', async () => {
    const text = await runCli((p) => playbookCommands(p, () => ({ url: h.aios.url, token, slug: A.slug, home: h.home })), 'shadow', 'missed-call-text-back', '--since', '30d');
    expect(text).toContain('nothing was sent or kept');
    expect(text).toContain('2 past missed_call signals; 2 replayed');
    expect(text).toContain(`Would have saved ${2 * ACTION_KINDS.missedCallBack.minutes} min (ledger)`);
    expect(text).toMatch(/Would have sent \(2\):\n.*sms → \+1416555014[12]: Hi Priya/);
    expect(h.sink.messages).toHaveLength(0);
  });

  it('lead-response over 30 days: the answer it would have texted and the deal it would have opened; deals unchanged', async () => {
    const before = await tableCounts();
    const res = await h.api(token, 'POST', '/api/v1/playbooks/lead-response/shadow', { since: '30d' });
    expect(res.status).toBe(200);
    const r = res.json.shadow;
    expect(r.signalsFound).toBe(2);
    expect(r.runs.filter((x: any) => x.depth === 0)).toHaveLength(2);
    for (const phone of leads) {
      const sent = r.wouldSend.filter((e: any) => e.recipient === phone && e.kind === 'sms.send');
      expect(sent.length, `a text to ${phone}`).toBeGreaterThanOrEqual(1);
    }
    const deals = r.wouldChange.filter((c: any) => c.table === 'deals' && c.change === 'created');
    expect(deals).toHaveLength(2);
    expect(deals[0].fields.stage[1]).toBe('new lead');
    expect(r.minutesSaved).toBeGreaterThan(0);
    expect(h.sink.messages).toHaveLength(0);
    expect(await tableCounts()).toEqual(before);
  });

  it('with an approve-first policy: the approvals it would have asked for (then treated as approved), no notice sent', async () => {
    const tokenB = h.aios.cliTokens.get(B.slug)!;
    const caller = '+14165550171';
    expect((await h.voice(caller, B.phone, { callerName: 'Ana' })).status).toBe(200);
    const before = await tableCounts();
    const r = (await h.api(tokenB, 'POST', '/api/v1/playbooks/missed-call-text-back/shadow', { since: '1d' })).json.shadow;
    expect(r.runs).toHaveLength(1);
    expect(r.wouldAskOwner).toHaveLength(1);
    expect(r.wouldAskOwner[0]).toMatchObject({ actionKind: 'sms.send', recipient: caller });
    expect(r.wouldAskOwner[0].reasons.map((x: any) => x.rule)).toContain('first_contact');
    // The owner's notice and, once approved, the text itself: both only recorded.
    expect(r.wouldSend.map((e: any) => [e.kind, e.recipient]).sort()).toEqual([['owner.notify', B.ownerPhone], ['sms.send', caller]]);
    expect(r.wouldSend.find((e: any) => e.kind === 'owner.notify').text).not.toMatch(/\/a\/[A-Za-z0-9_-]{20,}/); // no live approval link in the report
    expect(h.sink.messages).toHaveLength(0);
    expect(await tableCounts()).toEqual(before);
  });

  it('a signal raised in shadow starts the playbooks it triggers, in shadow too (inbound message → new lead → lead-response)', async () => {
    const tokenB = h.aios.cliTokens.get(B.slug)!;
    const tidB = h.aios.tenants.bySlugOrThrow(B.slug).id;
    const phone = '+14165550181';
    const contactId = newId('ct');
    await h.aios.db.insertInto('contacts').values({ id: contactId, tenant_id: tidB, phone }).execute();
    const at = new Date(Date.now() - 5 * DAY);
    await h.aios.db.insertInto('signals').values({
      id: newId('sig'), tenant_id: tidB, kind: 'inbound_unrouted', subject: phone, dedup_key: 'inbound_unrouted:test', created_at: at, dispatched_at: at,
      data: JSON.stringify({ body: 'Hi, can you come and fix my furnace next week?', messageId: 'msg_test', conversationId: 'cv_none', contactId, receivedAt: at.toISOString() }),
    }).execute();
    const before = await tableCounts();
    const r = (await h.api(tokenB, 'POST', '/api/v1/playbooks/inbound-message/shadow', { since: '30d' })).json.shadow;
    expect(r.runs.map((x: any) => [x.playbook, x.depth])).toEqual([['inbound-message', 0], ['lead-response', 1]]);
    expect(r.runs[1].parentRunId).toBe(r.runs[0].runId);
    expect(r.wouldRaise).toEqual([expect.objectContaining({ kind: 'new_lead', subject: phone, runIds: [r.runs[1].runId] })]);
    expect(r.wouldSend.some((e: any) => e.runId === r.runs[1].runId && e.recipient === phone && e.kind === 'sms.send')).toBe(true);
    expect(h.sink.messages).toHaveLength(0);
    expect(await tableCounts()).toEqual(before);
    expect(await h.aios.db.selectFrom('signals').select('id').where('dedup_key', 'like', 'shadow:%').execute()).toEqual([]);
  });

  it('settings can be tried in shadow before changing them (validated by the schema)', async () => {
    const bad = await h.api(token, 'POST', '/api/v1/playbooks/missed-call-text-back/shadow', { since: '30d', settings: { reply_wait_hours: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('reply_wait_hours');
    const ok = await h.api(token, 'POST', '/api/v1/playbooks/missed-call-text-back/shadow', { since: '30d', settings: { reply_wait_hours: 2 } });
    expect(ok.json.shadow.runs[0].summary).toMatch(/no reply within 2 h/);
    const bogus = await h.api(token, 'POST', '/api/v1/playbooks/missed-call-text-back/shadow', { since: 'last month' });
    expect(bogus.status).toBe(400);
    expect(bogus.json.fix).toContain('30d');
  });

  it('a window with no past signals says so instead of inventing events', async () => {
    const res = await h.api(token, 'POST', '/api/v1/playbooks/review-request/shadow', { since: '30d' });
    expect(res.status).toBe(200);
    expect(res.json.shadow.runs).toEqual([]);
    expect(res.json.shadow.notes.join(' ')).toMatch(/no job_done signals/);
  });

  it('the outbox refuses to deliver a shadow run\'s row through real channels (a bypass sends nothing)', async () => {
    const runId = `shadow:bypass:${newId('x')}`;
    await h.aios.db.insertInto('runs').values({ id: runId, tenant_id: tenantId, playbook: 'missed-call-text-back', version: 2, status: 'running', mode: 'shadow', trigger_type: 'signal', trigger_ref: 'none' }).execute();
    const row = await enqueueOutboxRow(h.aios.db, { tenantId, runId, stepId: 'x', idempotencyKey: `${runId}:x`, kind: 'sms.send', channel: 'sms', recipient: callers[0]!, payload: { from: A.phone, body: 'should never leave' } });
    await expect(deliverOutbox(h.aios.db, h.aios.host.deps.channels, row, () => new Date())).rejects.toMatchObject({ code: 'shadow_delivery_refused' });
    expect(h.sink.messages).toHaveLength(0);
    const after = await h.aios.db.selectFrom('outbox').select(['status', 'last_error']).where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('cancelled');
    expect(after.last_error).toMatch(/shadow run/);
    // A second attempt on the now-cancelled row is a no-op, still nothing sent.
    expect((await deliverOutbox(h.aios.db, h.aios.host.deps.channels, row.id, () => new Date())).status).toBe('cancelled');
    expect(h.sink.messages).toHaveLength(0);
  });
});
