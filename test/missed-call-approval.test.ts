import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, APPROVE_FIRST_POLICY, type Harness } from './support/harness.js';
import { appendMessage } from '../src/records/conversations.js';

const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550111' };
let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness([{ ...A, policy: APPROVE_FIRST_POLICY }]);
  token = h.aios.cliTokens.get(A.slug)!;
});
afterAll(() => h?.stop());

const smsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);

/** Rings from `caller`, waits for the approval request, and returns it with the link the owner got. */
async function callAndAwaitApproval(caller: string) {
  await h.voice(caller, A.phone);
  const approval = await eventually(async () => {
    const r = await h.api(token, 'GET', '/api/v1/approvals');
    return r.json.approvals.find((a: any) => a.recipient === caller);
  }, 10_000, 'approval request');
  const notice = await eventually(async () => smsTo(A.ownerPhone).find((m) => m.body.includes(caller)), 10_000, 'owner notice');
  const link = /http:\/\/\S+\/a\/[A-Za-z0-9_-]+/.exec(notice.body)![0];
  return { approval, link };
}

describe('missed call with approval', () => {
  it('a first contact waits for the owner, who is texted a link; the caller is not texted yet', async () => {
    const caller = '+14165550160';
    const { approval, link } = await callAndAwaitApproval(caller);
    expect(approval.reasons.map((r: any) => r.rule)).toEqual(['first_contact']);
    expect(link.startsWith(h.aios.url)).toBe(true);
    expect(smsTo(caller)).toHaveLength(0);
    const run = await eventually(async () => {
      const r = await h.api(token, 'GET', `/api/v1/runs/${encodeURIComponent(approval.run_id)}`);
      return r.json.run.status === 'waiting' ? r.json.run : undefined;
    }, 10_000, 'run to wait');
    expect(run.waiting_for).toBe('approval');
  });

  it('opening the link (GET) shows the decision page and decides nothing', async () => {
    const caller = '+14165550161';
    const { approval, link } = await callAndAwaitApproval(caller);
    for (let i = 0; i < 3; i++) {
      const page = await fetch(link);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('method="post"');
      expect(html).toContain(caller);
    }
    const still = await h.api(token, 'GET', '/api/v1/approvals');
    expect(still.json.approvals.find((a: any) => a.id === approval.id).status).toBe('pending');
    expect(smsTo(caller)).toHaveLength(0);
  });

  it('edit-then-approve over the API sends the edited text; a second decision is refused harmlessly', async () => {
    const caller = '+14165550162';
    const { approval } = await callAndAwaitApproval(caller);
    const edited = 'Hi, Acme here. Sorry we missed you! Reply with your address and we will book you in.';
    const res = await h.api(token, 'POST', `/api/v1/approvals/${approval.id}/approve`, { body: edited });
    expect(res.status).toBe(200);
    expect(res.json.approval).toMatchObject({ status: 'approved', edits: { body: edited } });
    const [msg] = await eventually(async () => smsTo(caller).length === 1 && smsTo(caller), 10_000, 'edited text');
    expect(msg!.body).toBe(edited);
    const again = await h.api(token, 'POST', `/api/v1/approvals/${approval.id}/reject`, { reason: 'changed my mind' });
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/already approved/);
    await new Promise((r) => setTimeout(r, 300));
    expect(smsTo(caller)).toHaveLength(1);
  });

  it('the recipient cannot be edited, and a rejection needs a reason', async () => {
    const caller = '+14165550163';
    const { approval } = await callAndAwaitApproval(caller);
    const to = await h.api(token, 'POST', `/api/v1/approvals/${approval.id}/approve`, { body: 'x', to: '+19995550000' });
    expect(to.status).toBe(400);
    const noReason = await h.api(token, 'POST', `/api/v1/approvals/${approval.id}/reject`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.json.message).toMatch(/reason/);
    const still = await h.api(token, 'GET', '/api/v1/approvals');
    expect(still.json.approvals.find((a: any) => a.id === approval.id).status).toBe('pending');
  });

  it('reject through the link (POST) keeps the reason, texts nobody; the link is then single-use', async () => {
    const caller = '+14165550164';
    const { approval, link } = await callAndAwaitApproval(caller);
    const post = (fields: Record<string, string>) => fetch(link, { method: 'POST', body: new URLSearchParams(fields) });
    const res = await post({ decision: 'reject', reason: 'we do not serve that area' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Rejected');
    const second = await post({ decision: 'approve' });
    expect(second.status).toBe(409);
    const all = await h.api(token, 'GET', '/api/v1/approvals?status=all');
    expect(all.json.approvals.find((a: any) => a.id === approval.id)).toMatchObject({ status: 'rejected', reason: 'we do not serve that area', decided_by: 'owner:link' });
    const run = await eventually(async () => {
      const r = await h.api(token, 'GET', `/api/v1/runs/${encodeURIComponent(approval.run_id)}`);
      return r.json.run.status === 'completed' ? r.json.run : undefined;
    }, 10_000, 'run completion');
    expect(run.summary).toMatch(/owner rejected the text: we do not serve that area/);
    expect(smsTo(caller)).toHaveLength(0);
  });

  it('approve through the link sends the proposed text as drafted', async () => {
    const caller = '+14165550165';
    const { approval, link } = await callAndAwaitApproval(caller);
    const res = await fetch(link, { method: 'POST', body: new URLSearchParams({ decision: 'approve', body: approval.proposal.body }) });
    expect(res.status).toBe(200);
    const [msg] = await eventually(async () => smsTo(caller).length === 1 && smsTo(caller), 10_000, 'text');
    expect(msg!.body).toBe(approval.proposal.body);
  });

  it('a known contact (we texted them before) is texted without asking; having texted us first is not enough', async () => {
    const caller = '+14165550166';
    await appendMessage(h.aios.db, { tenantId: h.aios.tenants.bySlugOrThrow(A.slug).id, channel: 'sms', address: caller, direction: 'outbound', body: 'Your furnace is serviced.', at: new Date(Date.now() - 7 * 86_400_000) });
    await h.voice(caller, A.phone);
    await eventually(async () => smsTo(caller).length === 1, 10_000, 'text to a known contact');
    const r = await h.api(token, 'GET', '/api/v1/approvals?status=all');
    expect(r.json.approvals.find((a: any) => a.recipient === caller)).toBeUndefined();
    const stranger = '+14165550167';
    await h.sms(stranger, A.phone, 'Hello, do you do furnace maintenance?');
    const { approval } = await callAndAwaitApproval(stranger);
    expect(approval.reasons.map((x: any) => x.rule)).toEqual(['first_contact']);
  });
});
