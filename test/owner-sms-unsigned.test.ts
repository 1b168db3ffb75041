import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, APPROVE_FIRST_POLICY, type Harness } from './support/harness.js';

/**
 * Without a Twilio auth token inbound webhooks are not signed, so anyone could forge the owner's
 * number: the owner's SMS answers decide nothing, and the notice says to use the link instead.
 */
describe('owner approvals by SMS need a signed webhook', () => {
  const b = { slug: 'nosig', phone: '+14165550150', ownerPhone: '+14165550151', policy: APPROVE_FIRST_POLICY };
  let u: Harness;
  beforeAll(async () => {
    u = await startHarness([b], { unsigned: true });
  });
  afterAll(() => u?.stop());

  it('without a Twilio auth token the owner\'s YES is an ordinary message, and the notice says so', async () => {
    const token = u.aios.cliTokens.get(b.slug)!;
    const caller = '+14165550152';
    await u.voice(caller, b.phone);
    const approval = await eventually(async () => (await u.api(token, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.recipient === caller), 10_000, 'approval');
    const notice = await eventually(async () => {
      const r = await u.api(token, 'GET', '/api/v1/outbox');
      return r.json.outbox.find((o: any) => o.kind === 'owner.notify' && o.status === 'sent');
    }, 10_000, 'owner notice');
    expect(notice.payload.body).not.toMatch(/Reply YES/);
    expect(notice.payload.body).toMatch(/SMS replies are off/);
    for (const answer of ['YES', 'NO not our area', 'Hi, we can come Thursday at 9, does that work?']) {
      const res = await u.sms(b.ownerPhone, b.phone, answer);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toMatch(/Approved|Rejected|Which one|Nothing is waiting/);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect((await u.api(token, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.id === approval.id).status).toBe('pending');
  });
});
