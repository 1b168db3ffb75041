import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { startHarness, eventually, tenantYaml, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN, type Harness } from './support/harness.js';
import { postTwilioWebhook, twilioSid } from '../src/connection/twilio/webhook-client.js';
import { ManualClock } from '../src/core/clock.js';
import { RelayClient } from './support/relay-client.js';

/**
 * Issue 9 item 1: AIOS answers the phone. Everything goes through the real HTTP server with
 * signed Twilio webhooks (and a signed WebSocket upgrade for ConversationRelay).
 * Monday 30 Nov 2026, 09:00 in Toronto: "Thursday at 10" is Thu 3 Dec, 10:00 (15:00Z).
 */
const clock = new ManualClock('2026-11-30T14:00:00Z');
const HOURS = `  hours:\n    mon: ["08:00", "17:00"]\n    tue: ["08:00", "17:00"]\n    wed: ["08:00", "17:00"]\n    thu: ["08:00", "17:00"]\n    fri: ["08:00", "17:00"]\n    sat: closed\n    sun: closed\n`;
const PRICES = '# Prices\n\nDrain cleaning costs $149 per visit, including the first hour.\n';
const tenant = (slug: string, phone: string, voice: string) => {
  const t = { slug, phone, ownerPhone: '+14165550111', policy: AUTO_POLICY };
  const yaml = tenantYaml(t).replace('  tone: friendly\n', `  tone: friendly\n${HOURS}`) + `voice:\n${voice}`;
  return { ...t, files: { 'tenant.yaml': yaml, 'knowledge/prices.md': PRICES } };
};
const A = tenant('acme', '+14165550100', '  answer: always\n');
const R = tenant('ringco', '+14165550200', '  answer: ring_first\n  ring_seconds: 15\n');
const L = tenant('relayco', '+14165550300', '  answer: always\n  mode: relay\n');
const N = tenant('nightco', '+14165550400', '  answer: after_hours\n');

let h: Harness;
beforeAll(async () => {
  h = await startHarness([A, R, L, N], { clock });
  await eventually(async () => (await h.aios.db.selectFrom('knowledge_chunks').select('id').execute()).length >= 3, 20_000, 'knowledge indexed');
}, 60_000);
afterAll(() => h?.stop());

const post = (path: string, params: Record<string, string>, opts: { authToken?: string | null } = {}) =>
  postTwilioWebhook(`${h.aios.url}/hooks/twilio${path}`, params, { authToken: opts.authToken === undefined ? AUTH_TOKEN : opts.authToken });
const callParams = (callSid: string, from: string, to: string) => ({ CallSid: callSid, AccountSid: ACCOUNT_SID, From: from, To: to, CallStatus: 'in-progress', Direction: 'inbound' });

/** A phone call: the incoming webhook, then one Gather turn per `say`. Returns each TwiML answer. */
function phone(from: string, to = A.phone) {
  const callSid = twilioSid('CA');
  const base = callParams(callSid, from, to);
  return {
    callSid,
    incoming: async () => {
      const res = await post('/incoming', base);
      expect(res.status).toBe(200);
      return res.text();
    },
    say: async (speech: string, confidence = '0.92') => {
      const res = await post('/gather', { ...base, SpeechResult: speech, Confidence: confidence });
      expect(res.status).toBe(200);
      return res.text();
    },
    press: async (digits: string) => (await post('/gather', { ...base, Digits: digits })).text(),
    silence: async () => (await post('/gather', base)).text(),
    status: (status: string) => post('/voice', { ...base, CallStatus: status, CallDuration: '60', Timestamp: new Date().toUTCString() }),
    post: (path: string, extra: Record<string, string>) => post(path, { ...base, ...extra }),
  };
}
const said = (xml: string) => [...xml.matchAll(/<Say[^>]*>([^<]*)<\/Say>/g)].map((m) => m[1]!).join(' ').replace(/&apos;/g, "'");
const signals = (kind: string) => h.aios.db.selectFrom('signals').selectAll().where('kind', '=', kind).execute();

describe('the Gather receptionist', () => {
  it('answers as the business, quotes the price from the knowledge, books "Thursday at 10" and hands the hold to the appointment playbook', async () => {
    const caller = '+14165550160';
    const c = phone(caller);
    const hello = await c.incoming();
    expect(hello).toMatch(/<Gather input="speech dtmf" action="http:\/\/[^"]+\/hooks\/twilio\/gather"/);
    expect(said(hello)).toContain('acme Co');
    expect(said(await c.say('How much is drain cleaning?'))).toContain('$149');
    expect(said(await c.say('Can you come Thursday at 10?'))).toMatch(/name/i);
    expect(said(await c.say('My name is Dana Smith'))).toMatch(/address/i);
    expect(said(await c.say('12 Elm Street, Toronto'))).toMatch(/ending in 0 1 6 0/);
    const held = said(await c.say('yes'));
    expect(held).toMatch(/Thu.*10:00.*Shall I book it/);
    const hold = await h.aios.db.selectFrom('bookings').selectAll().where('address', '=', caller).executeTakeFirstOrThrow();
    expect(new Date(hold.starts_at).toISOString()).toBe('2026-12-03T15:00:00.000Z');
    expect(said(await c.say('yes please'))).toMatch(/booking .* now.*text to confirm/i);
    const booked = await eventually(async () => (await signals('appointment_requested')).find((s) => s.subject === caller), 10_000, 'appointment signal');
    expect(booked.data).toMatchObject({ holdId: hold.id, name: 'Dana Smith', location: '12 Elm Street, Toronto', address: caller });
    expect(said(await c.say("no that's all, bye"))).toMatch(/Goodbye/);
    // The call ends; its run files the transcript in the caller's voice conversation and the ledger.
    await c.status('completed');
    const run = await eventually(async () => {
      const r = await h.aios.db.selectFrom('runs').selectAll().where('playbook', '=', 'phone-call').where('status', '=', 'completed').execute();
      return r.find((x) => x.summary?.includes(caller));
    }, 15_000, 'phone-call run to finish');
    expect(run.summary).toMatch(/booked Thu/);
    const lines = await sql<{ body: string; direction: string }>`select m.body, m.direction from messages m join conversations c on c.id = m.conversation_id where c.channel = 'voice' and c.address = ${caller} order by m.created_at, m.id`.execute(h.aios.db);
    expect(lines.rows.map((l) => l.body)).toContain('How much is drain cleaning?');
    expect(lines.rows.some((l) => l.direction === 'outbound' && l.body.includes('$149'))).toBe(true);
    const contact = await h.aios.db.selectFrom('contacts').selectAll().where('phone', '=', caller).executeTakeFirstOrThrow();
    expect(contact.name).toBe('Dana Smith');
    const ledger = await h.aios.db.selectFrom('ledger').selectAll().where('run_id', '=', run.id).execute();
    expect(ledger.map((l) => l.category)).toEqual(['call_answered']);
    // Answered, not missed: the caller is not texted back.
    expect(h.sink.messages.filter((m) => m.to === caller)).toHaveLength(0);
  }, 40_000);

  it('a call AIOS answered is never texted back as missed, whatever status the callback reports', async () => {
    const caller = '+14165550161';
    const c = phone(caller);
    await c.incoming();
    const res = await c.status('no-answer');
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect((await signals('missed_call')).filter((s) => s.subject === caller)).toHaveLength(0);
    expect(h.sink.messages.filter((m) => m.to === caller)).toHaveLength(0);
  });

  it('silence and low confidence are asked again twice, then the caller can leave a message for the owner', async () => {
    const caller = '+14165550162';
    const c = phone(caller);
    await c.incoming();
    expect(said(await c.silence())).toMatch(/didn't catch that/);
    expect(said(await c.say('mumble', '0.2'))).toMatch(/didn't catch that/);
    expect(said(await c.say('', '0.9'))).toMatch(/leave your message/);
    const bye = await c.say('This is Lee, please call me about my water heater');
    expect(said(bye)).toMatch(/passed your message on/);
    expect(bye).toContain('<Hangup/>');
    const msg = await eventually(async () => (await signals('call_message')).find((s) => s.subject === caller), 10_000, 'message for the owner');
    expect(msg.data).toMatchObject({ message: 'This is Lee, please call me about my water heater' });
  });

  it('keypad digits choose from the menu and give the callback number; hanging up before yes releases the hold', async () => {
    const c = phone('+14165550163');
    await c.incoming();
    expect(said(await c.press('1'))).toMatch(/name/i);
    await c.say('Robin');
    expect(said(await c.say('5 King Street'))).toMatch(/ending in/);
    const offer = said(await c.press('4165550199#'));
    expect(offer).toMatch(/I can offer 1, .*2, .*3, /);
    expect(said(await c.press('2'))).toMatch(/Shall I book it/);
    const row = await h.aios.db.selectFrom('bookings').selectAll().where('address', '=', '+14165550199').executeTakeFirst();
    expect(row?.status).toBe('held');
    // The caller hangs up mid-booking: nothing half-booked, the slot is free again.
    await c.status('completed');
    await eventually(async () => (await h.aios.db.selectFrom('bookings').select('status').where('id', '=', row!.id).executeTakeFirst())?.status === 'released', 10_000, 'hold released');
    expect((await signals('appointment_requested')).filter((s) => s.subject === '+14165550199')).toHaveLength(0);
  });

  it('an emergency is transferred to the owner; nobody answering means a message is taken', async () => {
    const c = phone('+14165550164');
    await c.incoming();
    const xfer = await c.say('I have an emergency, a pipe burst in my basement');
    expect(xfer).toMatch(/<Dial timeout="20" action="[^"]+\/hooks\/twilio\/transfer-result" method="POST"[^>]*><Number>\+14165550111<\/Number><\/Dial>/);
    const res = await c.post('/transfer-result', { DialCallStatus: 'no-answer' });
    expect(said(await res.text())).toMatch(/Nobody can come to the phone.*leave your message/);
  });

  it('a webhook without a valid signature is refused and stores nothing', async () => {
    const callSid = twilioSid('CA');
    const res = await post('/incoming', callParams(callSid, '+14165550165', A.phone), { authToken: 'wrong-token' });
    expect(res.status).toBe(403);
    expect(await h.aios.db.selectFrom('calls').select('id').where('call_sid', '=', callSid).executeTakeFirst()).toBeUndefined();
    const bad = await post('/gather', { ...callParams(callSid, '+14165550165', A.phone), Confidence: 'very' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/Confidence: must be a number from 0 to 1/);
  });
});

describe('ring first', () => {
  it('rings the owner; no answer → the receptionist; a person answering → hang up, and no missed-call text', async () => {
    const missed = phone('+14165550170', R.phone);
    const ring = await missed.incoming();
    expect(ring).toMatch(/<Dial timeout="15" action="[^"]+\/hooks\/twilio\/dial-result"[^>]*><Number>\+14165550111<\/Number><\/Dial>/);
    const answered = await (await missed.post('/dial-result', { DialCallStatus: 'no-answer' })).text();
    expect(answered).toContain('<Gather');
    expect(said(answered)).toContain('ringco Co');

    const taken = phone('+14165550171', R.phone);
    await taken.incoming();
    expect(await (await taken.post('/dial-result', { DialCallStatus: 'completed' })).text()).toContain('<Hangup/>');
    await taken.status('no-answer');
    await taken.status('completed');
    await new Promise((r) => setTimeout(r, 500));
    expect(h.sink.messages.filter((m) => m.to === '+14165550171')).toHaveLength(0);
    expect((await signals('missed_call')).filter((s) => s.subject === '+14165550171')).toHaveLength(0);
  });
});

describe('after hours', () => {
  it('rings the owner while the business is open, and the receptionist answers when it is closed', async () => {
    expect(await phone('+14165550175', N.phone).incoming()).toMatch(/<Dial[^>]*><Number>\+14165550111<\/Number><\/Dial>/);
    const saved = clock.now();
    clock.set('2026-12-05T15:00:00Z'); // Saturday: closed
    try {
      const xml = await phone('+14165550176', N.phone).incoming();
      expect(xml).toContain('<Gather');
      expect(said(xml)).toContain('nightco Co');
    } finally {
      clock.set(saved);
    }
  });
});

describe('ConversationRelay', () => {
  const wssUrl = () => `${h.aios.url.replace('http', 'ws')}/hooks/twilio/relay`;
  /** The session URL AIOS gave Twilio in the call's TwiML (it carries the CallSid and its key). */
  const relayUrlIn = (twiml: string) => /<ConversationRelay url="([^"]+)"/.exec(twiml)![1]!.replace(/&amp;/g, '&');

  it('answers with <Connect><ConversationRelay>, refuses an unsigned or badly signed socket, and runs the same dialogue over text tokens', async () => {
    const caller = '+14165550180';
    const c = phone(caller, L.phone);
    const twiml = await c.incoming();
    expect(twiml).toMatch(/<Connect action="[^"]+\/hooks\/twilio\/relay-end" method="POST"><ConversationRelay url="ws:\/\/[^"]+\/hooks\/twilio\/relay\?call=CA\w+&amp;k=[\w-]{32}" welcomeGreeting="Thanks for calling relayco Co[^"]*" language="en-CA" dtmfDetection="true" interruptible="any">/);

    const session = relayUrlIn(twiml);
    await expect(RelayClient.connect(session)).rejects.toThrow(/refused: 403/);
    await expect(RelayClient.connect(session, { signature: 'bm9wZQ==' })).rejects.toThrow(/refused: 403/);
    // Signed, but not a URL AIOS handed out: the bare path, or another call's id with this call's key.
    await expect(RelayClient.connect(wssUrl(), { authToken: AUTH_TOKEN })).rejects.toThrow(/refused: 403/);
    await expect(RelayClient.connect(session.replace(/call=CA\w+/, `call=${twilioSid('CA')}`), { authToken: AUTH_TOKEN })).rejects.toThrow(/refused: 403/);

    // A session opened for this call cannot speak for another one.
    const stray = await RelayClient.connect(session, { authToken: AUTH_TOKEN });
    stray.setup({ callSid: twilioSid('CA'), from: caller, to: L.phone, accountSid: ACCOUNT_SID });
    await stray.waitForCount(0);
    expect(stray.received[0]).toMatchObject({ type: 'end', handoffData: JSON.stringify({ reason: 'unknown_call' }) });
    await stray.close();

    const ws = await RelayClient.connect(session, { authToken: AUTH_TOKEN });
    ws.setup({ callSid: c.callSid, from: caller, to: L.phone, accountSid: ACCOUNT_SID });
    let n = ws.received.length;
    ws.prompt('How much is drain cleaning?');
    const price = await ws.reply(n);
    expect(price.text).toContain('$149');
    const texts = price.messages.filter((m) => m.type === 'text') as Array<{ token: string; last: boolean }>;
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.map((t) => t.last)).toEqual([...texts.slice(1).map(() => false), true]);

    ws.interrupt('How much is');
    n = ws.received.length;
    ws.dtmf('1');
    expect((await ws.reply(n)).text).toMatch(/name/i);

    n = ws.received.length;
    ws.prompt('Je m\'appelle Dana', 'fr-CA');
    const fr = await ws.reply(n);
    expect(fr.messages[0]).toEqual({ type: 'language', ttsLanguage: 'fr-CA', transcriptionLanguage: 'fr-CA' });
    expect(fr.text).toMatch(/Merci Dana\. Quelle est l'adresse/);

    n = ws.received.length;
    ws.prompt('I want to talk to a real person');
    const handoff = await ws.reply(n);
    expect(handoff.end).toBeDefined();
    expect(JSON.parse((handoff.end as { handoffData: string }).handoffData)).toMatchObject({ reason: 'transfer', why: 'person' });
    await ws.close();

    const end = await (await c.post('/relay-end', { HandoffData: (handoff.end as { handoffData: string }).handoffData, SessionStatus: 'ended' })).text();
    expect(end).toMatch(/<Dial[^>]*><Number>\+14165550111<\/Number><\/Dial>/);
    const row = await h.aios.db.selectFrom('calls').selectAll().where('call_sid', '=', c.callSid).executeTakeFirstOrThrow();
    expect((row.transcript as Array<{ who: string; text: string }>).some((l) => l.who === 'caller' && l.text === 'How much is drain cleaning?')).toBe(true);
  }, 30_000);
});
