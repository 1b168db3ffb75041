import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, eventually, APPROVE_FIRST_POLICY, ACCOUNT_SID, AUTH_TOKEN, type Harness } from './support/harness.js';
import { postTwilioWebhook, twilioSid } from '../src/connection/twilio/webhook-client.js';
import { signFormBody } from '../src/connection/forms/signature.js';

/**
 * First contact (policy `first_contact: approve`) means "we have never sent this person a message,
 * and they are not a customer in the records" — whatever they sent us first: a voicemail, an SMS
 * or a web form. An imported customer, or someone we texted before, is not a first contact.
 */
const A = { slug: 'acme', phone: '+14165550100', ownerPhone: '+14165550111' };
const SECRET = 'form-secret-0123456789abcdef';
let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness([{ ...A, policy: APPROVE_FIRST_POLICY }]);
  token = h.aios.cliTokens.get(A.slug)!;
  writeFileSync(join(h.home, 'tenants', A.slug, 'forms.yaml'), `forms:\n  secret: "${SECRET}"\n`);
});
afterAll(() => h?.stop());

const smsTo = (to: string) => h.sink.messages.filter((m) => m.to === to);
const approvalFor = (to: string) =>
  eventually(async () => (await h.api(token, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.recipient === to), 10_000, `approval for ${to}`);
const post = (path: string, params: Record<string, string>) => postTwilioWebhook(`${h.aios.url}/hooks/twilio/${path}`, params, { authToken: AUTH_TOKEN });

async function expectFirstContactApproval(caller: string) {
  const approval = await approvalFor(caller);
  expect(approval.reasons.map((r: any) => r.rule)).toEqual(['first_contact']);
  await new Promise((r) => setTimeout(r, 300));
  expect(smsTo(caller)).toHaveLength(0);
  return approval;
}

describe('first contact does not depend on what the person sent us', () => {
  it('finding 5: a new caller who left a voicemail waits for approval (the recording is not a prior message)', async () => {
    const caller = '+14165550801';
    const callSid = twilioSid('CA');
    await post('voice', { CallSid: callSid, AccountSid: ACCOUNT_SID, From: caller, To: A.phone, CallStatus: 'completed', CallDuration: '30' });
    const res = await post('recording', { AccountSid: ACCOUNT_SID, CallSid: callSid, RecordingSid: 'RE' + '8'.repeat(32), RecordingUrl: 'https://api.twilio.com/rec/RE8', RecordingDuration: '25' });
    expect(res.status).toBe(200);
    await expectFirstContactApproval(caller);
  });

  it('someone who texted us first, then called, waits for approval', async () => {
    const caller = '+14165550802';
    await h.sms(caller, A.phone, 'Hello, do you do furnace maintenance?');
    await h.voice(caller, A.phone);
    await expectFirstContactApproval(caller);
  });

  it('someone who filled in the web form first, then called, waits for approval', async () => {
    const caller = '+14165550803';
    const body = JSON.stringify({ name: 'Ana Silva', phone: caller, message: 'Quote for a water heater?' });
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${h.aios.url}/hooks/forms/${A.slug}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-aios-timestamp': ts, 'x-aios-signature': signFormBody(SECRET, ts, body) }, body });
    expect(res.status).toBe(201);
    await h.voice(caller, A.phone);
    await expectFirstContactApproval(caller);
  });
});

describe('not a first contact', () => {
  it('an imported customer (CSV from the CRM) is texted without asking', async () => {
    const caller = '+14165550804';
    const res = await fetch(`${h.aios.url}/api/v1/imports/contacts`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: `name,phone\nLinda Okafor,${caller}\n` });
    expect(res.status).toBe(200);
    await h.voice(caller, A.phone);
    const [msg] = await eventually(async () => smsTo(caller).length === 1 && smsTo(caller), 10_000, 'text to an imported customer');
    expect(msg!.body).toMatch(/^Hi Linda/);
    const all = await h.api(token, 'GET', '/api/v1/approvals?status=all');
    expect(all.json.approvals.find((a: any) => a.recipient === caller)).toBeUndefined();
  });

  it('someone we texted before (after an approval) is texted again without asking', async () => {
    const caller = '+14165550805';
    await h.voice(caller, A.phone);
    const approval = await expectFirstContactApproval(caller);
    expect((await h.api(token, 'POST', `/api/v1/approvals/${approval.id}/approve`, {})).status).toBe(200);
    await eventually(async () => smsTo(caller).length === 1, 10_000, 'approved text');
    const r = await h.api(token, 'POST', '/api/v1/actions/sms', { to: caller, body: 'We can come Friday morning.' });
    await eventually(async () => smsTo(caller).length === 2, 10_000, 'second text, no approval');
    const all = await h.api(token, 'GET', '/api/v1/approvals?status=all');
    expect(all.json.approvals.filter((a: any) => a.recipient === caller)).toHaveLength(1);
    expect(r.status).toBe(202);
  });
});
