import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, eventually, AUTO_POLICY, APPROVE_FIRST_POLICY, type Harness } from './support/harness.js';
import { signFormBody } from '../src/connection/forms/signature.js';

// PostgreSQL refuses U+0000 in text and jsonb (and lone surrogates in jsonb): before the fix, one
// such character in a customer's text was a 500 and the message was lost.
const SECRET = 'form-secret-0123456789abcdef';
const A = { slug: 'acme', phone: '+14165550100' };
const ASK = { slug: 'askco', phone: '+14165550200', ownerPhone: '+14165550299' };
const HOURS = '---\nkind: policy\ntitle: Opening hours\n---\n\n# Opening hours\n\nWe are open Monday to Friday from 8 am to 6 pm.\n';
let h: Harness;
let token: string;

beforeAll(async () => {
  h = await startHarness([{ ...A, policy: AUTO_POLICY, files: { 'knowledge/hours.md': HOURS } }, { ...ASK, policy: APPROVE_FIRST_POLICY }]);
  token = h.aios.cliTokens.get(A.slug)!;
  writeFileSync(join(h.home, 'tenants', A.slug, 'forms.yaml'), `forms:\n  secret: "${SECRET}"\n`);
});
afterAll(() => h?.stop());

const tid = () => h.aios.tenants.bySlugOrThrow(A.slug).id;
const contactByPhone = (phone: string) => h.aios.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tid()).where('phone', '=', phone).executeTakeFirst();
const raw = (payload: unknown) => Buffer.from((payload as { raw: { base64: string } }).raw.base64, 'base64').toString('utf8');
const gapQuestions = async () => (await h.aios.db.selectFrom('knowledge_gaps').select('question').where('tenant_id', '=', tid()).execute()).map((g) => g.question);
const widget = (path: 'ask' | 'lead', body: string) =>
  fetch(`${h.aios.url}/widget/${A.slug}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('NUL and other invalid code points are removed, never a 500', () => {
  it('an SMS body with NUL is stored cleaned, joins the conversation, and the raw body stays recoverable', async () => {
    const from = '+14165550901';
    const res = await h.sms(from, A.phone, 'Can you come\u0000 Friday?\u0007');
    expect(res.status).toBe(200);
    const ev = await h.aios.db.selectFrom('events').selectAll().where('tenant_id', '=', tid()).where('type', '=', 'sms.received').where(({ eb, ref }) => eb(ref('payload'), '@>', JSON.stringify({ from }) as never)).executeTakeFirstOrThrow();
    expect(ev.payload).toMatchObject({ body: 'Can you come Friday?' });
    expect(new URLSearchParams(raw(ev.payload)).get('Body')).toBe('Can you come\u0000 Friday?\u0007');
    const contact = (await contactByPhone(from))!;
    const msgs = (await h.api(token, 'GET', `/api/v1/contacts/${contact.id}/messages`)).json.messages;
    expect(msgs.map((m: { body: string }) => m.body)).toEqual(['Can you come Friday?']);
  });

  it('a clean SMS keeps no raw copy', async () => {
    const from = '+14165550902';
    expect((await h.sms(from, A.phone, 'Plain text')).status).toBe(200);
    const ev = await h.aios.db.selectFrom('events').select('payload').where('type', '=', 'sms.received').where(({ eb, ref }) => eb(ref('payload'), '@>', JSON.stringify({ from }) as never)).executeTakeFirstOrThrow();
    expect(ev.payload).not.toHaveProperty('raw');
  });

  it('a CallerName with NUL on a voice status: the missed call is handled, the contact named cleanly', async () => {
    const from = '+14165550903';
    const res = await h.voice(from, A.phone, { callerName: 'Ana\u0000 Silva' });
    expect(res.status).toBe(200);
    const contact = await eventually(() => contactByPhone(from), 5_000, 'contact from caller ID');
    expect(contact.name).toBe('Ana Silva');
    await eventually(async () => h.sink.messages.find((m) => m.to === from), 10_000, 'the text-back');
  });

  it('a widget question with NUL is answered; one AIOS cannot answer becomes a gap, cleaned', async () => {
    const res = await widget('ask', JSON.stringify({ question: 'What are your opening\u0000 hours?' }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { answer: string }).answer).toMatch(/Monday to Friday/);
    const unknown = await widget('ask', JSON.stringify({ question: 'Do you repair boat\u0000 engines?' }));
    expect(unknown.status).toBe(200);
    expect(await gapQuestions()).toContain('Do you repair boat engines?');
  });

  it('a widget lead whose name holds NUL is stored, cleaned', async () => {
    const res = await widget('lead', JSON.stringify({ name: 'Bo\u0000b\u202E', phone: '+14165550904', message: 'Leak\u0000' }));
    expect(res.status).toBe(201);
    expect((await contactByPhone('+14165550904'))?.name).toBe('Bob');
  });

  it('a signed form lead with NUL and a lone surrogate is stored cleaned; the event keeps the exact body', async () => {
    const body = '{"name":"Cy\\u0000 Dee","phone":"+14165550905","message":"half \\ud800 emoji"}';
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`${h.aios.url}/hooks/forms/${A.slug}`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-aios-timestamp': ts, 'x-aios-signature': signFormBody(SECRET, ts, body) } });
    expect(res.status).toBe(201);
    const { eventId } = (await res.json()) as { eventId: string };
    const ev = await h.aios.db.selectFrom('events').select('payload').where('id', '=', eventId).executeTakeFirstOrThrow();
    expect(ev.payload).toMatchObject({ name: 'Cy Dee', message: 'half  emoji' });
    expect(raw(ev.payload)).toBe(body);
    expect((await contactByPhone('+14165550905'))?.name).toBe('Cy Dee');
  });

  it('an API proposal body with NUL or a lone surrogate is proposed, cleaned', async () => {
    const res = await fetch(`${h.aios.url}/api/v1/actions/sms`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"to":"+14165550906","body":"See you\\u0000 at 9\\udc00"}',
    });
    expect(res.status).toBe(202);
    const { signalId } = (await res.json()) as { signalId: string };
    const sig = await h.aios.db.selectFrom('signals').select('data').where('id', '=', signalId).executeTakeFirstOrThrow();
    expect(sig.data).toMatchObject({ body: 'See you at 9' });
  });

  it('a knowledge question with NUL is answered, or kept as a gap without the NUL', async () => {
    const r = await h.api(token, 'POST', '/api/v1/knowledge/ask', { question: 'Do you sell\u0000 solar panels?' });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('unknown');
    expect(await gapQuestions()).toContain('Do you sell solar panels?');
  });

  it('an owner’s edit with NUL on the approval page is decided and sent cleaned', async () => {
    const caller = '+14165550907';
    await h.voice(caller, ASK.phone);
    const notice = await eventually(async () => h.sink.messages.find((m) => m.to === ASK.ownerPhone), 10_000, 'the approval request to the owner');
    const link = /https?:\/\/\S+\/a\/[\w-]+/.exec(notice.body)![0];
    const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ decision: 'approve', body: 'Sorry we\u0000 missed you, calling back now.' }).toString() });
    expect(res.status).toBe(200);
    const sent = await eventually(async () => h.sink.messages.find((m) => m.to === caller), 10_000, 'the approved text');
    expect(sent.body).toBe('Sorry we missed you, calling back now.');
  });

  it('a control character in a URL (an id, a search) is a 400 naming the part, not a 500', async () => {
    const run = await h.api(token, 'GET', '/api/v1/runs/run%00x');
    expect(run.status).toBe(400);
    expect(run.json).toMatchObject({ error: 'bad_input', message: expect.stringContaining('path') });
    const search = await h.api(token, 'GET', '/api/v1/contacts?q=An%00a');
    expect(search.status).toBe(400);
    expect(search.json.message).toContain('query parameter "q"');
  });
});
