import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, APPROVE_FIRST_POLICY, type Harness } from './support/harness.js';

/**
 * The owner decides by answering the notice by SMS: `YES`, `NO <reason>`, or an edited text, with
 * a short code when several requests wait. Only the owner's phone, on a signed webhook, decides.
 * Each test uses its own business so pending requests of one test never leak into another.
 */
const biz = (n: number) => ({ slug: `biz${n}`, phone: `+1416555${String(100 + n).padStart(4, '0')}`, ownerPhone: `+1416555${String(300 + n).padStart(4, '0')}`, policy: APPROVE_FIRST_POLICY });
const B = [1, 2, 3, 4, 5, 6, 7].map(biz);

let h: Harness;
beforeAll(async () => {
  h = await startHarness(B);
});
afterAll(() => h?.stop());

const smsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);
const twimlText = async (res: Response) => {
  expect(res.status).toBe(200);
  const xml = await res.text();
  return [...xml.matchAll(/<Message>([^<]*)<\/Message>/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"')).join('\n');
};
const approvalsOf = async (b: (typeof B)[number]) => (await h.api(h.aios.cliTokens.get(b.slug)!, 'GET', '/api/v1/approvals?status=all')).json.approvals as any[];

/** A missed call from `caller`; resolves when the owner's notice about it reached the sink. */
async function missedCall(b: (typeof B)[number], caller: string, callerName?: string) {
  await h.voice(caller, b.phone, callerName ? { callerName } : {});
  const approval = await eventually(async () => (await approvalsOf(b)).find((a) => a.recipient === caller), 10_000, 'approval');
  const notice = await eventually(async () => smsTo(b.ownerPhone).find((m) => m.body.includes(caller)), 10_000, 'owner notice');
  return { approval, notice };
}

describe('owner approvals by SMS', () => {
  it('the notice names the contact and what happened, and says how to answer; YES sends the text', async () => {
    const b = B[0]!;
    const caller = '+14165550170';
    const { approval, notice } = await missedCall(b, caller, 'Jane Doe');
    expect(notice.body).toContain('Jane Doe');
    expect(notice.body).toMatch(/missed call \d{1,2}:\d\d [ap]\.m\./);
    expect(notice.body).toContain(approval.proposal.body.slice(0, 40));
    expect(notice.body).toMatch(/Reply YES, NO <reason>, or your edited text/);
    expect(notice.body).toMatch(/\/a\/[A-Za-z0-9_-]{20,}/); // the link stays as an alternative
    expect(notice.body.length).toBeLessThanOrEqual(459); // three GSM segments

    const reply = await twimlText(await h.sms(b.ownerPhone, b.phone, 'yes'));
    expect(reply).toBe('Approved: sending to Jane Doe.');
    const [sent] = await eventually(async () => smsTo(caller).length === 1 && smsTo(caller), 10_000, 'text to the caller');
    expect(sent!.body).toBe(approval.proposal.body);
    const decided = (await approvalsOf(b)).find((a) => a.id === approval.id);
    expect(decided).toMatchObject({ status: 'approved', decided_by: 'owner:sms' });
    const audit = await h.aios.db.selectFrom('audit_log').selectAll().where('subject', '=', approval.id).execute();
    expect(audit.map((a) => [a.actor, a.action])).toContainEqual(['owner:sms', 'approval.approved']);
  });

  it('NO <reason> rejects with the reason and texts nobody', async () => {
    const b = B[1]!;
    const caller = '+14165550171';
    const { approval } = await missedCall(b, caller);
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, 'NO not our area'))).toBe('Rejected; reason kept.');
    const run = await eventually(async () => {
      const r = await h.api(h.aios.cliTokens.get(b.slug)!, 'GET', `/api/v1/runs/${encodeURIComponent(approval.run_id)}`);
      return r.json.run.status === 'completed' ? r.json.run : undefined;
    }, 10_000, 'run completion');
    expect(run.summary).toMatch(/owner rejected the text: not our area/);
    expect((await approvalsOf(b)).find((a) => a.id === approval.id)).toMatchObject({ status: 'rejected', reason: 'not our area', decided_by: 'owner:sms' });
    expect(smsTo(caller)).toHaveLength(0);
    // NO without a reason decides nothing (another request).
    const caller2 = '+14165550181';
    const second = await missedCall(b, caller2);
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, 'no'))).toMatch(/reason/i);
    expect((await approvalsOf(b)).find((a) => a.id === second.approval.id).status).toBe('pending');
  });

  it('an edited text is sent as edited', async () => {
    const b = B[2]!;
    const caller = '+14165550172';
    const { approval } = await missedCall(b, caller);
    const edited = 'Hi, sorry we missed you. We can come Thursday morning, does that work?';
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, edited))).toMatch(/^Approved with your text: sending to \+14165550172\.$/);
    const [sent] = await eventually(async () => smsTo(caller).length === 1 && smsTo(caller), 10_000, 'edited text');
    expect(sent!.body).toBe(edited);
    expect((await approvalsOf(b)).find((a) => a.id === approval.id)).toMatchObject({ status: 'approved', edits: { body: edited } });
  });

  it('with two pending, YES alone asks which; YES <code> decides that one only', async () => {
    const b = B[3]!;
    const first = await missedCall(b, '+14165550173', 'Ann Lee');
    const second = await missedCall(b, '+14165550183', 'Bob Roy');
    const code = (n: { body: string }) => /\[([A-Z][2-9][A-Z])\]/.exec(n.body)?.[1];
    // The second notice was sent while another request waited: it carries its code and says how to use it.
    const c2 = code(second.notice)!;
    expect(c2).toBeTruthy();
    expect(second.notice.body).toContain(`Reply YES ${c2}, NO ${c2} <reason>, or ${c2} <your edited text>`);
    const stored = await h.aios.db.selectFrom('approvals').select(['id', 'short_code']).where('id', 'in', [first.approval.id, second.approval.id]).execute();
    const c1 = stored.find((r) => r.id === first.approval.id)!.short_code!;
    expect(stored.find((r) => r.id === second.approval.id)!.short_code).toBe(c2);
    expect(c1).not.toBe(c2);

    const which = await twimlText(await h.sms(b.ownerPhone, b.phone, 'YES'));
    expect(which).toContain('Which one?');
    expect(which).toContain(`YES ${c1}`);
    expect(which).toContain(`YES ${c2}`);
    expect((await approvalsOf(b)).filter((a) => a.status === 'pending')).toHaveLength(2);

    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, `yes ${c2.toLowerCase()}`))).toBe('Approved: sending to Bob Roy.');
    await eventually(async () => smsTo('+14165550183').length === 1, 10_000, 'text to Bob');
    const all = await approvalsOf(b);
    expect(all.find((a) => a.id === second.approval.id).status).toBe('approved');
    expect(all.find((a) => a.id === first.approval.id).status).toBe('pending');
    expect(smsTo('+14165550173')).toHaveLength(0);

    // `<code> <edited text>` and `NO <code> <reason>` address one request too.
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, `NO ${c2} changed my mind`))).toMatch(/already approved/);
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, `${c1} Hi Ann, we can come tomorrow at 9.`))).toBe('Approved with your text: sending to Ann Lee.');
    const [ann] = await eventually(async () => smsTo('+14165550173').length === 1 && smsTo('+14165550173'), 10_000, 'text to Ann');
    expect(ann!.body).toBe('Hi Ann, we can come tomorrow at 9.');
  });

  it('the same reply from a stranger decides nothing: it is just their message', async () => {
    const b = B[4]!;
    const caller = '+14165550174';
    const { approval } = await missedCall(b, caller);
    const stranger = '+14165550999';
    // For anyone but the owner, YES stays the carrier opt-in keyword it always was.
    expect(await twimlText(await h.sms(stranger, b.phone, 'YES'))).toMatch(/resubscribed/);
    expect(await twimlText(await h.sms(caller, b.phone, 'YES'))).toMatch(/resubscribed/); // not even the customer concerned
    expect(await twimlText(await h.sms(stranger, b.phone, 'Sure, send it please'))).toBe('');
    await new Promise((r) => setTimeout(r, 300));
    expect((await approvalsOf(b)).find((a) => a.id === approval.id).status).toBe('pending');
    expect(smsTo(caller)).toHaveLength(0);
    const t = h.aios.tenants.bySlugOrThrow(b.slug);
    const msgs = await h.aios.db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(['messages.body', 'conversations.address']).where('messages.tenant_id', '=', t.id).where('messages.direction', '=', 'inbound').execute();
    expect(msgs).toContainEqual({ body: 'YES', address: stranger });
  });

  it('nothing waiting, or a malformed reply, decides nothing; the owner\'s texts never reach runs as a customer reply; STOP still opts out', async () => {
    const b = B[5]!;
    const token = h.aios.cliTokens.get(b.slug)!;
    // The owner's own number called in and was texted back: that run now waits for a reply from the owner's number.
    const ownerAsCaller = await missedCall(b, b.ownerPhone);
    expect((await h.api(token, 'POST', `/api/v1/approvals/${ownerAsCaller.approval.id}/approve`, {})).status).toBe(200);
    const runView = async () => (await h.api(token, 'GET', `/api/v1/runs/${encodeURIComponent(ownerAsCaller.approval.run_id)}`)).json.run;
    await eventually(async () => (await runView()).waiting_for === `reply from ${b.ownerPhone}`, 10_000, 'owner-as-caller run waiting for a reply');
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, 'YES'))).toBe('Nothing is waiting for you.');

    const caller = '+14165550175';
    const { approval } = await missedCall(b, caller);
    const code = (await h.aios.db.selectFrom('approvals').select('short_code').where('id', '=', approval.id).executeTakeFirstOrThrow()).short_code!;
    // A code no approval has (codes are random: an earlier approval in this file may hold any one).
    const used = new Set((await h.aios.db.selectFrom('approvals').select('short_code').execute()).map((r) => r.short_code));
    const unknown = ['Z9Z', 'Y8Y', 'X7W', 'W6V', 'V5U'].find((c) => c !== code && !used.has(c))!;
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, 'YES please hurry'))).toMatch(/Not understood/);
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, `YES ${unknown}`))).toMatch(new RegExp(`No request ${unknown} is waiting`));
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, 'ok?'))).toMatch(/Not understood/);
    expect((await approvalsOf(b)).find((a) => a.id === approval.id).status).toBe('pending');
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, 'YES'))).toBe(`Approved: sending to ${caller}.`);
    await eventually(async () => smsTo(caller).length === 1, 10_000, 'text to the caller');
    await new Promise((r) => setTimeout(r, 500));
    const run = await runView();
    expect(run.status).toBe('waiting'); // none of the owner's decision texts was taken as the caller's reply
    expect(run.waiting_for).toBe(`reply from ${b.ownerPhone}`);

    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, 'STOP'))).toMatch(/unsubscribed/);
    const t = h.aios.tenants.bySlugOrThrow(b.slug);
    const contact = await h.aios.db.selectFrom('contacts').selectAll().where('tenant_id', '=', t.id).where('phone', '=', b.ownerPhone).executeTakeFirstOrThrow();
    expect(contact.opted_out_at).not.toBeNull();
  });

  it('a request proposed from outside says who proposed it', async () => {
    const b = B[6]!;
    const owner = h.aios.cliTokens.get(b.slug)!;
    const made = await h.api(owner, 'POST', '/api/v1/tokens', { name: 'claude', kind: 'assistant' });
    expect(made.status).toBe(201);
    const to = '+14165550176';
    const res = await h.api(made.json.token, 'POST', '/api/v1/actions/sms', { to, body: 'Your quote is ready, want us to send it?' });
    expect(res.status).toBeLessThan(300);
    const notice = await eventually(async () => smsTo(b.ownerPhone).find((m) => m.body.includes(to)), 10_000, 'owner notice');
    expect(notice.body).toContain('proposed by assistant "claude"');
    expect(await twimlText(await h.sms(b.ownerPhone, b.phone, 'YES'))).toBe(`Approved: sending to ${to}.`);
    await eventually(async () => smsTo(to).length === 1, 10_000, 'text');
  });
});
