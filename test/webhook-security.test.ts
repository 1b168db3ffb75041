import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, AUTO_POLICY, APPROVE_FIRST_POLICY, AUTH_TOKEN, ACCOUNT_SID, type Harness } from './support/harness.js';
import { computeTwilioSignature } from '../src/connection/twilio/signature.js';
import { missedCallParams } from '../src/connection/twilio/webhook-client.js';

const A = { slug: 'alpha', phone: '+14165550100' };
const B = { slug: 'bravo', phone: '+14165550200' };
let h: Harness;
let tokenA: string;
let tokenB: string;

beforeAll(async () => {
  h = await startHarness([
    { ...A, policy: APPROVE_FIRST_POLICY },
    { ...B, policy: AUTO_POLICY },
  ]);
  tokenA = h.aios.cliTokens.get(A.slug)!;
  tokenB = h.aios.cliTokens.get(B.slug)!;
});
afterAll(() => h?.stop());

const countRows = async () => {
  const n = async (t: 'events' | 'signals' | 'runs' | 'outbox') => (await h.aios.db.selectFrom(t).select('id').execute()).length;
  return { events: await n('events'), signals: await n('signals'), runs: await n('runs'), outbox: await n('outbox') };
};

describe('webhook bad input: clear 4xx, nothing stored', () => {
  const url = () => `${h.aios.url}/hooks/twilio/voice`;
  const params = () => missedCallParams({ from: '+14165550177', to: A.phone, accountSid: ACCOUNT_SID });
  const post = (body: string, headers: Record<string, string>) => fetch(url(), { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  it.each([
    ['no signature', () => ({ body: new URLSearchParams(params()).toString(), headers: {} }), 403],
    ['a forged signature', () => ({ body: new URLSearchParams(params()).toString(), headers: { 'x-twilio-signature': computeTwilioSignature('wrong-token', url(), params()) } }), 403],
    ['a body changed after signing', () => {
      const p = params();
      const sig = computeTwilioSignature(AUTH_TOKEN, url(), p);
      return { body: new URLSearchParams({ ...p, From: '+19995550000' }).toString(), headers: { 'x-twilio-signature': sig } };
    }, 403],
    ['a missing CallSid (signed)', () => {
      const p: Record<string, string> = params();
      delete p.CallSid;
      return { body: new URLSearchParams(p).toString(), headers: { 'x-twilio-signature': computeTwilioSignature(AUTH_TOKEN, url(), p) } };
    }, 400],
    ['a number that is not E.164 (signed)', () => {
      const p = { ...params(), From: '4165550177' };
      return { body: new URLSearchParams(p).toString(), headers: { 'x-twilio-signature': computeTwilioSignature(AUTH_TOKEN, url(), p) } };
    }, 400],
    ['an unknown business number (signed)', () => {
      const p = { ...params(), To: '+15145550000' };
      return { body: new URLSearchParams(p).toString(), headers: { 'x-twilio-signature': computeTwilioSignature(AUTH_TOKEN, url(), p) } };
    }, 404],
    ['an oversized body', () => ({ body: 'Body=' + 'x'.repeat(70 * 1024), headers: {} }), 413],
  ] as const)('%s → %i', async (_name, make, status) => {
    const before = await countRows();
    const { body, headers } = make();
    const res = await post(body, headers);
    expect(res.status).toBe(status);
    expect((await res.text()).length).toBeGreaterThan(0);
    expect(await countRows()).toEqual(before);
  });

  it('a JSON body instead of a form → 415', async () => {
    const res = await fetch(url(), { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(415);
  });

  it('the server keeps serving after bad input', async () => {
    expect((await fetch(`${h.aios.url}/health`)).status).toBe(200);
  });
});

describe('API authentication', () => {
  it('an unknown or missing token gets 401', async () => {
    expect((await h.api('aios_not-a-real-token', 'GET', '/api/v1/status')).status).toBe(401);
    expect((await fetch(`${h.aios.url}/api/v1/status`)).status).toBe(401);
  });

  it('tokens are stored hashed', async () => {
    const rows = await h.aios.db.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === tokenA)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it('a created token works and is shown once', async () => {
    const created = await h.api(tokenA, 'POST', '/api/v1/tokens', { name: 'zapier' });
    expect(created.status).toBe(201);
    const st = await h.api(created.json.token, 'GET', '/api/v1/status');
    expect(st.json.tenant.slug).toBe(A.slug);
  });

  it('serves an OpenAPI document', async () => {
    const doc = (await (await fetch(`${h.aios.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/hooks/twilio/voice', '/api/v1/approvals/{id}/approve']));
  });
});

describe('tenant isolation', () => {
  let approvalA: any;
  beforeAll(async () => {
    await h.voice('+14165550180', A.phone);
    await h.voice('+14165550181', B.phone);
    approvalA = await eventually(async () => (await h.api(tokenA, 'GET', '/api/v1/approvals')).json.approvals[0], 10_000, "A's approval");
    await eventually(async () => (await h.api(tokenB, 'GET', '/api/v1/outbox')).json.outbox.length > 0, 10_000, "B's text");
  });

  it("B's listings never show A's rows", async () => {
    for (const [path, key] of [['signals', 'signals'], ['runs', 'runs'], ['approvals?status=all', 'approvals'], ['outbox', 'outbox'], ['contacts', 'contacts'], ['ledger', 'entries']] as const) {
      const b = await h.api(tokenB, 'GET', `/api/v1/${path}`);
      const json = JSON.stringify(b.json[key]);
      expect(json, path).not.toContain('+14165550180');
      expect(json, path).not.toContain(h.aios.tenants.bySlugOrThrow(A.slug).id);
    }
    expect((await h.api(tokenB, 'GET', '/api/v1/status')).json.tenant.slug).toBe(B.slug);
  });

  it("B cannot read A's run, approve or reject A's approval, or read A's contact", async () => {
    expect((await h.api(tokenB, 'GET', `/api/v1/runs/${encodeURIComponent(approvalA.run_id)}`)).status).toBe(404);
    expect((await h.api(tokenB, 'POST', `/api/v1/approvals/${approvalA.id}/approve`, {})).status).toBe(404);
    expect((await h.api(tokenB, 'POST', `/api/v1/approvals/${approvalA.id}/reject`, { reason: 'x' })).status).toBe(404);
    const contactA = (await h.api(tokenA, 'GET', '/api/v1/contacts')).json.contacts[0];
    expect((await h.api(tokenB, 'GET', `/api/v1/contacts/${contactA.id}/messages`)).status).toBe(404);
    const still = (await h.api(tokenA, 'GET', '/api/v1/approvals')).json.approvals.find((a: any) => a.id === approvalA.id);
    expect(still.status).toBe('pending');
    expect(h.sink.messages.filter((m) => m.to === '+14165550180')).toHaveLength(0);
  });
});
