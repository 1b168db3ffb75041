import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, eventually, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN, type Harness } from './support/harness.js';
import { postTwilioWebhook, twilioSid } from '../src/connection/twilio/webhook-client.js';

const A = { slug: 'acme', phone: '+14165550100' };
let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness([{ ...A, policy: AUTO_POLICY }]);
  token = h.aios.cliTokens.get(A.slug)!;
});
afterAll(() => h?.stop());

const post = (path: string, params: Record<string, string>) => postTwilioWebhook(`${h.aios.url}/hooks/twilio/${path}`, params, { authToken: AUTH_TOKEN });
const runOf = (caller: string) =>
  h.aios.db.selectFrom('runs').innerJoin('signals', 'signals.id', 'runs.trigger_ref').selectAll('runs').where('signals.subject', '=', caller).executeTakeFirst();

describe('voicemail', () => {
  const caller = '+14165550701';
  const callSid = twilioSid('CA');
  const recordingSid = twilioSid('AC').replace(/^AC/, 'RE');

  it('a recording before its call is known is refused with 409 and stores nothing', async () => {
    const res = await post('recording', { AccountSid: ACCOUNT_SID, CallSid: twilioSid('CA'), RecordingSid: recordingSid.replace(/.$/, '0'), RecordingUrl: 'https://api.twilio.com/rec/1' });
    expect(res.status).toBe(409);
    expect(await h.aios.db.selectFrom('events').select('id').where('type', '=', 'call.voicemail').execute()).toHaveLength(0);
  });

  it('a call answered by voicemail becomes a missed call: texted back, voicemail in the conversation', async () => {
    await post('voice', { CallSid: callSid, AccountSid: ACCOUNT_SID, From: caller, To: A.phone, CallStatus: 'completed', CallDuration: '41' });
    const res = await post('recording', { AccountSid: ACCOUNT_SID, CallSid: callSid, RecordingSid: recordingSid, RecordingUrl: 'https://api.twilio.com/rec/RE1', RecordingDuration: '38', RecordingStatus: 'completed' });
    expect(res.status).toBe(200);
    await eventually(async () => h.sink.messages.find((m) => m.to === caller), 10_000, 'text-back after voicemail');
    const again = await post('recording', { AccountSid: ACCOUNT_SID, CallSid: callSid, RecordingSid: recordingSid, RecordingUrl: 'https://api.twilio.com/rec/RE1', RecordingDuration: '38' });
    expect(again.headers.get('x-aios-duplicate')).toBe('true');
    const contact = (await h.api(token, 'GET', `/api/v1/contacts?q=${encodeURIComponent('0701')}`)).json.contacts[0];
    const msgs = (await h.api(token, 'GET', `/api/v1/contacts/${contact.id}/messages`)).json.messages;
    expect(msgs.find((m: any) => m.channel === 'voice').body).toBe('Voicemail (38 s): https://api.twilio.com/rec/RE1');
  });

  it('the transcription counts as the caller’s reply: a deal opens', async () => {
    await eventually(async () => (await runOf(caller))?.waiting_for === `reply from ${caller}`, 10_000, 'run waiting for a reply');
    const res = await post('transcription', { AccountSid: ACCOUNT_SID, CallSid: callSid, RecordingSid: recordingSid, TranscriptionSid: 'TR' + '7'.repeat(32), TranscriptionStatus: 'completed', TranscriptionText: 'Hi, my water heater is leaking, please call me back.' });
    expect(res.status).toBe(200);
    // The reply opens the deal, and the booking conversation (missed-call-text-back v2) continues.
    const deal = await eventually(() => h.aios.db.selectFrom('deals').innerJoin('contacts', 'contacts.id', 'deals.contact_id').selectAll('deals').where('contacts.phone', '=', caller).executeTakeFirst(), 10_000, 'deal');
    expect(deal.stage).toBe('new lead');
  });

  it('malformed callbacks get 400 naming the field, unsigned ones 403', async () => {
    const bad = await post('transcription', { AccountSid: ACCOUNT_SID, CallSid: callSid, RecordingSid: recordingSid, TranscriptionSid: 'XX1', TranscriptionStatus: 'completed' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/TranscriptionSid/);
    const unsigned = await fetch(`${h.aios.url}/hooks/twilio/status`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'MessageSid=SM1&MessageStatus=delivered' });
    expect(unsigned.status).toBe(403);
  });
});

describe('withheld numbers', () => {
  it('a missed call from a hidden number is kept for the owner; nobody is texted, nothing breaks on its voicemail', async () => {
    const callSid = twilioSid('CA');
    const res = await post('voice', { CallSid: callSid, AccountSid: ACCOUNT_SID, From: 'anonymous', To: A.phone, CallStatus: 'no-answer' });
    expect(res.status).toBe(200);
    const sig = (await h.api(token, 'GET', '/api/v1/signals')).json.signals.find((s: any) => s.kind === 'missed_call_withheld');
    expect(sig).toMatchObject({ subject: 'withheld number' });
    const answered = twilioSid('CA');
    await post('voice', { CallSid: answered, AccountSid: ACCOUNT_SID, From: 'anonymous', To: A.phone, CallStatus: 'completed' });
    expect((await post('recording', { AccountSid: ACCOUNT_SID, CallSid: answered, RecordingSid: 'RE' + '5'.repeat(32), RecordingUrl: 'https://api.twilio.com/rec/RE5' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await h.aios.db.selectFrom('outbox').select('id').where('recipient', '=', 'anonymous').execute()).toHaveLength(0);
    expect(await h.aios.db.selectFrom('runs').select('id').where('tenant_id', '=', h.aios.tenants.bySlugOrThrow('acme').id).where('trigger_ref', 'in', h.aios.db.selectFrom('signals').select('id').where('subject', 'in', ['anonymous', 'withheld number'])).execute()).toHaveLength(0);
    const contacts = await h.aios.db.selectFrom('contacts').select('id').where('phone', '=', 'anonymous').execute();
    expect(contacts).toHaveLength(0);
  });
});

describe('delivery receipts', () => {
  it('update the outbox; an undelivered text raises a signal for the owner', async () => {
    const caller = '+14165550702';
    await h.voice(caller, A.phone);
    const sms = await eventually(async () => h.sink.messages.find((m) => m.to === caller), 10_000, 'text');
    expect((await post('status', { MessageSid: sms.sid, AccountSid: ACCOUNT_SID, MessageStatus: 'sent' })).status).toBe(200);
    expect((await post('status', { MessageSid: sms.sid, AccountSid: ACCOUNT_SID, MessageStatus: 'undelivered', ErrorCode: '30003' })).status).toBe(200);
    const row = await h.aios.db.selectFrom('outbox').selectAll().where('provider_ref', '=', sms.sid).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ delivery_status: 'undelivered', delivery_error: '30003' });
    const sig = (await h.api(token, 'GET', '/api/v1/signals')).json.signals.find((s: any) => s.kind === 'message_undelivered');
    expect(sig).toMatchObject({ subject: caller, severity: 'high' });
  });

  it('a receipt for a message AIOS did not send is acknowledged and ignored', async () => {
    const res = await post('status', { MessageSid: twilioSid('SM'), AccountSid: ACCOUNT_SID, MessageStatus: 'delivered' });
    expect(res.status).toBe(200);
  });
});
