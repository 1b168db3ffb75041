import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { startHarness, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN, type Harness } from './support/harness.js';
import { postTwilioWebhook, twilioSid } from '../src/connection/twilio/webhook-client.js';

// Recording and transcription callbacks name only AccountSid and CallSid (no To): they must reach
// the call's own tenant, and only from the Twilio account that call came from.
const A = { slug: 'acme', phone: '+14165550100' };
const B = { slug: 'bravo', phone: '+14165550200' };
const OTHER_ACCOUNT = 'AC' + 'b'.repeat(32);
let h: Harness;
beforeAll(async () => {
  h = await startHarness([A, B].map((t) => ({ ...t, policy: AUTO_POLICY })));
});
afterAll(() => h?.stop());

const post = (path: string, params: Record<string, string>) => postTwilioWebhook(`${h.aios.url}/hooks/twilio/${path}`, params, { authToken: AUTH_TOKEN });
const sid = (prefix: 'RE' | 'TR') => twilioSid('SM').replace(/^SM/, prefix);
const tid = (slug: string) => h.aios.tenants.bySlugOrThrow(slug).id;
const voicemailRows = async () => {
  const events = await h.aios.db.selectFrom('events').select(['tenant_id', 'type', 'payload']).where('type', 'in', ['call.voicemail', 'call.transcription']).execute();
  const messages = await h.aios.db.selectFrom('messages').select(['tenant_id', 'body']).where('body', 'like', 'Voicemail%').execute();
  return { events, messages };
};
const recording = (accountSid: string, callSid: string) => ({ AccountSid: accountSid, CallSid: callSid, RecordingSid: sid('RE'), RecordingUrl: 'https://api.twilio.com/rec/x', RecordingDuration: '12' });
const transcription = (accountSid: string, callSid: string) => ({
  AccountSid: accountSid, CallSid: callSid, RecordingSid: sid('RE'), TranscriptionSid: sid('TR'), TranscriptionStatus: 'completed', TranscriptionText: 'Please call me back.',
});

describe('voicemail callbacks are scoped to the call’s account and tenant', () => {
  it('the call’s status callback records its AccountSid', async () => {
    const callSid = twilioSid('CA');
    expect((await post('voice', { CallSid: callSid, AccountSid: ACCOUNT_SID, From: '+14165550801', To: A.phone, CallStatus: 'completed' })).status).toBe(200);
    const ev = await h.aios.db.selectFrom('events').select('payload').where('dedup_key', '=', `twilio:call:${callSid}`).executeTakeFirstOrThrow();
    expect(ev.payload).toMatchObject({ accountSid: ACCOUNT_SID });
  });

  it('a recording, transcription or receipt from another account than AIOS_TWILIO_ACCOUNT_SID → 403, nothing stored', async () => {
    const callSid = twilioSid('CA');
    await post('voice', { CallSid: callSid, AccountSid: ACCOUNT_SID, From: '+14165550802', To: A.phone, CallStatus: 'completed' });
    const before = await voicemailRows();
    const rec = await post('recording', recording(OTHER_ACCOUNT, callSid));
    const tr = await post('transcription', transcription(OTHER_ACCOUNT, callSid));
    const receipt = await post('status', { MessageSid: twilioSid('SM'), AccountSid: OTHER_ACCOUNT, MessageStatus: 'undelivered' });
    expect([rec.status, tr.status, receipt.status]).toEqual([403, 403, 403]);
    expect(await rec.text()).toMatch(/AccountSid .* is not the Twilio account of this AIOS/);
    expect(await voicemailRows()).toEqual(before);
  });

  it('a callback naming another account’s call → 403, nothing stored in either tenant', async () => {
    // B's call came from another Twilio account (a status callback is routed by its To number).
    const callOfB = twilioSid('CA');
    expect((await post('voice', { CallSid: callOfB, AccountSid: OTHER_ACCOUNT, From: '+14165550803', To: B.phone, CallStatus: 'completed' })).status).toBe(200);
    const before = await voicemailRows();
    const rec = await post('recording', recording(ACCOUNT_SID, callOfB));
    const tr = await post('transcription', transcription(ACCOUNT_SID, callOfB));
    expect([rec.status, tr.status]).toEqual([403, 403]);
    expect(await rec.text()).toMatch(/is not a call of Twilio account/);
    expect(await voicemailRows()).toEqual(before);
  });

  it('the same CallSid known to two tenants: the recording goes only to the tenant of its account', async () => {
    const callSid = twilioSid('CA');
    await post('voice', { CallSid: callSid, AccountSid: OTHER_ACCOUNT, From: '+14165550804', To: B.phone, CallStatus: 'completed' });
    await post('voice', { CallSid: callSid, AccountSid: ACCOUNT_SID, From: '+14165550805', To: A.phone, CallStatus: 'completed' });
    const res = await post('recording', recording(ACCOUNT_SID, callSid));
    expect(res.status).toBe(200);
    const filed = (await voicemailRows()).events.filter((e) => (e.payload as { callSid: string }).callSid === callSid);
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({ tenant_id: tid(A.slug), type: 'call.voicemail', payload: { from: '+14165550805', accountSid: ACCOUNT_SID } });
  });

  it('the call’s own account files the voicemail and its transcript in the call’s tenant', async () => {
    const callSid = twilioSid('CA');
    await post('voice', { CallSid: callSid, AccountSid: ACCOUNT_SID, From: '+14165550806', To: B.phone, CallStatus: 'no-answer' });
    expect((await post('recording', recording(ACCOUNT_SID, callSid))).status).toBe(200);
    expect((await post('transcription', transcription(ACCOUNT_SID, callSid))).status).toBe(200);
    const rows = await h.aios.db.selectFrom('events').select(['tenant_id', 'type']).where('type', 'in', ['call.voicemail', 'call.transcription']).where(sql<string>`payload->>'callSid'`, '=', callSid).execute();
    expect(rows.map((r) => [r.tenant_id, r.type]).sort()).toEqual([[tid(B.slug), 'call.transcription'], [tid(B.slug), 'call.voicemail']]);
  });
});
