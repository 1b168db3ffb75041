import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, eventually, AUTO_POLICY, type Harness } from './support/harness.js';
import { signFormBody } from '../src/connection/forms/signature.js';
import { syncKnowledge } from '../src/knowledge/sync.js';

const SECRET = 'form-secret-0123456789abcdef';
const ACME = { slug: 'acme', phone: '+14165550100' };
const NOFORMS = { slug: 'noforms', phone: '+14165550300' };
const BUSY = { slug: 'busyco', phone: '+14165550400' };
let h: Harness;
let tokenA: string;

const tid = (slug: string) => h.aios.tenants.bySlugOrThrow(slug).id;
const tenantDir = (slug: string) => join(h.home, 'tenants', slug);
// Signals: only the leads themselves (the lead-response runs raise their own, e.g. lead_needs_owner).
const count = async (table: 'events' | 'contacts' | 'signals', slug = ACME.slug) =>
  table === 'signals'
    ? (await h.aios.db.selectFrom('signals').select('id').where('tenant_id', '=', tid(slug)).where('kind', '=', 'new_lead').execute()).length
    : (await h.aios.db.selectFrom(table).select('id').where('tenant_id', '=', tid(slug)).execute()).length;
const now = () => String(Math.floor(Date.now() / 1000));

async function postForm(slug: string, body: string, o: { secret?: string; ts?: string; ctype?: string; headers?: Record<string, string>; sign?: boolean } = {}) {
  const ts = o.ts ?? now();
  const headers: Record<string, string> = { 'content-type': o.ctype ?? 'application/json', ...o.headers };
  if (o.sign !== false) {
    headers['x-aios-timestamp'] = ts;
    headers['x-aios-signature'] = signFormBody(o.secret ?? SECRET, ts, body);
  }
  const res = await fetch(`${h.aios.url}/hooks/forms/${slug}`, { method: 'POST', headers, body });
  return { status: res.status, json: (await res.json()) as any, headers: res.headers };
}

async function widget(slug: string, path: 'ask' | 'lead', body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.aios.url}/widget/${slug}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://shop.example', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any, headers: res.headers };
}

beforeAll(async () => {
  h = await startHarness([ACME, NOFORMS, BUSY].map((t) => ({ ...t, policy: AUTO_POLICY })));
  tokenA = h.aios.cliTokens.get(ACME.slug)!;
  // forms.yaml is read per request (cached by mtime), so it can be written after start.
  writeFileSync(join(tenantDir(ACME.slug), 'forms.yaml'), `forms:\n  secret: "${SECRET}"\n`);
  const kdir = join(tenantDir(ACME.slug), 'knowledge');
  mkdirSync(kdir, { recursive: true });
  writeFileSync(join(kdir, 'hours.md'), '---\nkind: policy\ntitle: Opening hours\n---\n\n# Opening hours\n\nWe are open Monday to Friday from 8 am to 6 pm. We are closed on weekends.\n');
  await syncKnowledge(h.aios.db, tid(ACME.slug), kdir);
});
afterAll(() => h?.stop());

describe('signed form webhook POST /hooks/forms/:slug', () => {
  const lead = { name: 'Ana Silva', phone: '+1 (416) 555-0177', email: 'Ana@Example.com', message: 'Quote for a water heater?', page: 'https://acme.example/contact' };

  it('stores a lead: event, contact (by phone, with email) and a new_lead signal, in one go', async () => {
    const res = await postForm(ACME.slug, JSON.stringify(lead));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'stored', eventId: expect.any(String), signalId: expect.any(String) });
    const ev = await h.aios.db.selectFrom('events').selectAll().where('id', '=', res.json.eventId).executeTakeFirstOrThrow();
    expect(ev).toMatchObject({ type: 'lead.received', source: 'web_form' });
    expect(ev.payload).toMatchObject({ phone: '+14165550177', email: 'ana@example.com', source: 'form' });
    const contact = await h.aios.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tid(ACME.slug)).where('phone', '=', '+14165550177').executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ name: 'Ana Silva', email: 'ana@example.com', source: 'web_form' });
    const signals = await h.api(tokenA, 'GET', '/api/v1/signals');
    const sig = signals.json.signals.find((s: any) => s.id === res.json.signalId);
    // Planned in the same transaction: the lead-response playbook is handling it.
    expect(sig).toMatchObject({ kind: 'new_lead', subject: '+14165550177', status: 'handling', run_id: `lead-response@1:${sig.id}` });
    expect(sig.data).toMatchObject({ message: lead.message, contactId: contact.id, page: lead.page, eventId: ev.id });
  });

  it('a replay of the same body (new timestamp) or the same idempotency key stores one event', async () => {
    const before = await count('events');
    const again = await postForm(ACME.slug, JSON.stringify(lead), { ts: String(Number(now()) - 5) });
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('duplicate');
    const k1 = await postForm(ACME.slug, JSON.stringify({ ...lead, message: 'first', idempotency_key: 'sub-42' }));
    const k2 = await postForm(ACME.slug, JSON.stringify({ ...lead, message: 'edited', idempotency_key: 'sub-42' }));
    expect([k1.status, k2.status]).toEqual([201, 200]);
    expect(k2.json.eventId).toBe(k1.json.eventId);
    expect(await count('events')).toBe(before + 1);
  });

  it('the Idempotency-Key header is outside the signature and ignored: a replay with a fresh header stores nothing', async () => {
    const body = JSON.stringify({ ...lead, message: 'replayed', phone: '+14165550178' });
    const ts = now();
    const signed = { 'content-type': 'application/json', 'x-aios-timestamp': ts, 'x-aios-signature': signFormBody(SECRET, ts, body) };
    const send = (headers: Record<string, string>) => fetch(`${h.aios.url}/hooks/forms/${ACME.slug}`, { method: 'POST', body, headers: { ...signed, ...headers } });
    const before = await Promise.all([count('events'), count('signals')]);
    const first = await send({ 'idempotency-key': 'original' });
    const replays = await Promise.all(['fresh-1', 'fresh-2'].map((k) => send({ 'idempotency-key': k })));
    expect([first.status, ...replays.map((r) => r.status)]).toEqual([201, 200, 200]);
    expect(await Promise.all([count('events'), count('signals')])).toEqual([before[0] + 1, before[1] + 1]);
    // The signed body's own key still counts; a header cannot override it.
    const keyed = JSON.stringify({ ...lead, message: 'keyed', idempotency_key: 'sub-43' });
    const k1 = await postForm(ACME.slug, keyed, { headers: { 'idempotency-key': 'a' } });
    const k2 = await postForm(ACME.slug, JSON.stringify({ ...lead, message: 'keyed, edited', idempotency_key: 'sub-43' }), { headers: { 'idempotency-key': 'b' } });
    expect([k1.status, k2.status]).toEqual([201, 200]);
  });

  it('accepts form-encoded bodies; an email-only lead becomes a contact by email', async () => {
    const body = new URLSearchParams({ name: 'Bo Chen', email: 'bo@example.org', message: 'Call me back', source: 'landing-page', utm_campaign: 'spring' }).toString();
    const res = await postForm(ACME.slug, body, { ctype: 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(201);
    const sig = await h.aios.db.selectFrom('signals').selectAll().where('id', '=', res.json.signalId).executeTakeFirstOrThrow();
    expect(sig).toMatchObject({ kind: 'new_lead', subject: 'bo@example.org' });
    expect(sig.data).toMatchObject({ source: 'landing-page', name: 'Bo Chen' });
    const again = await postForm(ACME.slug, new URLSearchParams({ name: 'Bo', email: 'BO@example.org', message: 'second note' }).toString(), { ctype: 'application/x-www-form-urlencoded' });
    expect(again.status).toBe(201);
    const contacts = await h.aios.db.selectFrom('contacts').selectAll().where('tenant_id', '=', tid(ACME.slug)).where('email', '=', 'bo@example.org').execute();
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.name).toBe('Bo Chen');
    const ev = await h.aios.db.selectFrom('events').select('payload').where('id', '=', res.json.eventId).executeTakeFirstOrThrow();
    expect(ev.payload).toMatchObject({ extra: { utm_campaign: 'spring' } });
  });

  it('refuses a bad signature, an old timestamp or a missing header with 403 and stores nothing', async () => {
    const before = await Promise.all([count('events'), count('contacts'), count('signals')]);
    const body = JSON.stringify({ name: 'Mallory', phone: '+14165550999' });
    const bad = await postForm(ACME.slug, body, { secret: 'not-the-secret-not-the-secret' });
    const old = await postForm(ACME.slug, body, { ts: String(Number(now()) - 301) });
    const future = await postForm(ACME.slug, body, { ts: String(Number(now()) + 400) });
    const missing = await postForm(ACME.slug, body, { sign: false });
    const tampered = await fetch(`${h.aios.url}/hooks/forms/${ACME.slug}`, {
      method: 'POST', body: body.replace('Mallory', 'Eve'),
      headers: { 'content-type': 'application/json', 'x-aios-timestamp': now(), 'x-aios-signature': signFormBody(SECRET, now(), body) },
    });
    expect([bad.status, old.status, future.status, missing.status, tampered.status]).toEqual([403, 403, 403, 403, 403]);
    expect(bad.json).toMatchObject({ error: 'bad_signature', message: expect.stringContaining('does not match') });
    expect(old.json.message).toMatch(/server clock/);
    expect(missing.json.message).toMatch(/X-AIOS-Signature and X-AIOS-Timestamp header missing/);
    expect(await Promise.all([count('events'), count('contacts'), count('signals')])).toEqual(before);
  });

  it('a lead with a message but no phone or email is kept and handed to the owner; nobody is texted', async () => {
    const res = await postForm(ACME.slug, JSON.stringify({ name: 'Ana', message: 'Please call me about a leaking boiler, I forgot my number' }));
    expect(res.status).toBe(201);
    const owner = await eventually(async () => {
      const rows = await h.aios.db.selectFrom('signals').selectAll().where('kind', '=', 'lead_needs_owner').execute();
      return rows.find((r) => (r.data as { message?: string }).message?.includes('leaking boiler'));
    }, 10_000, 'owner signal');
    expect((owner.data as { reason: string }).reason).toMatch(/neither phone nor email/);
    expect(await h.aios.db.selectFrom('contacts').select('id').where('name', '=', 'Ana').execute()).toHaveLength(0);
  });

  it('answers 400 naming the field for malformed leads, 415 for other content types', async () => {
    const before = await count('events');
    const badJson = await postForm(ACME.slug, '{"name": "Ana",');
    expect(badJson.status).toBe(400);
    expect(badJson.json.message).toMatch(/^body: malformed JSON/);
    const badEmail = await postForm(ACME.slug, JSON.stringify({ name: 'Ana', email: 'not-an-email' }));
    expect(badEmail.status).toBe(400);
    expect(badEmail.json.message).toMatch(/^email: must be an email address/);
    const badPhone = await postForm(ACME.slug, JSON.stringify({ phone: '12' }));
    expect(badPhone.json.message).toMatch(/^phone: /);
    const nothing = await postForm(ACME.slug, JSON.stringify({ name: 'Ana' }));
    expect(nothing.status).toBe(400);
    expect(nothing.json.message).toMatch(/^phone or email/);
    const arr = await postForm(ACME.slug, '[1,2]');
    expect(arr.status).toBe(400);
    const xml = await postForm(ACME.slug, '<lead/>', { ctype: 'application/xml' });
    expect(xml.status).toBe(415);
    expect(await count('events')).toBe(before);
  });

  it('answers 413 for a body over 64 KB', async () => {
    const res = await postForm(ACME.slug, JSON.stringify({ phone: '+14165550111', message: 'x'.repeat(70_000) }));
    expect(res.status).toBe(413);
    expect(res.json.error).toBe('too_large');
  });

  it('answers 404 "forms not configured" without forms.yaml, and 404 for an unknown business', async () => {
    const res = await postForm(NOFORMS.slug, JSON.stringify({ phone: '+14165550111' }));
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: 'forms_not_configured', message: expect.stringContaining('forms not configured') });
    expect(res.json.fix).toContain('forms.yaml');
    const unknown = await postForm('nobody', JSON.stringify({ phone: '+14165550111' }));
    expect(unknown.status).toBe(404);
    expect(await count('events', NOFORMS.slug)).toBe(0);
  });
});

describe('website widget', () => {
  it('serves /widget.js as JavaScript', async () => {
    const res = await fetch(`${h.aios.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/javascript');
    const text = await res.text();
    expect(text).toContain('data-business');
    expect(text).not.toMatch(/innerHTML/);
  });

  it('stores a widget lead like a form lead (source widget), with CORS for any origin', async () => {
    const res = await widget(ACME.slug, 'lead', { name: 'Cy', phone: '416-555-0188', message: 'Leaky tap', source: 'spoofed', page: 'https://acme.example/' });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ status: 'stored' });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const sig = await h.aios.db.selectFrom('signals').selectAll().where('tenant_id', '=', tid(ACME.slug)).where('subject', '=', '+14165550188').executeTakeFirstOrThrow();
    expect(sig).toMatchObject({ kind: 'new_lead' });
    expect(sig.data).toMatchObject({ source: 'widget', name: 'Cy', message: 'Leaky tap' });
    const ev = await h.aios.db.selectFrom('events').selectAll().where('id', '=', sig.event_id!).executeTakeFirstOrThrow();
    expect(ev).toMatchObject({ type: 'lead.received', source: 'widget' });
    const pre = await fetch(`${h.aios.url}/widget/${ACME.slug}/lead`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    const other = await fetch(`${h.aios.url}/api/v1/signals`, { headers: { origin: 'https://shop.example', authorization: `Bearer ${tokenA}` } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a question from the knowledge, with citations; an unknown one says the owner will follow up', async () => {
    const res = await widget(ACME.slug, 'ask', { question: 'What are your opening hours?' });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('answered');
    expect(res.json.answer).toMatch(/Monday to Friday/);
    expect(res.json.citations[0].title).toMatch(/Opening hours/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const unknown = await widget(ACME.slug, 'ask', { question: 'Do you install solar panels on boats?' });
    expect(unknown.json).toMatchObject({ status: 'unknown', citations: [] });
    expect(unknown.json.answer).toMatch(/get back to you/);
    const empty = await widget(ACME.slug, 'ask', { question: '  ' });
    expect(empty.status).toBe(400);
    const long = await widget(ACME.slug, 'ask', { question: 'why '.repeat(200) });
    expect(long.status).toBe(400);
    const huge = await widget(ACME.slug, 'ask', { question: 'x'.repeat(5000) });
    expect(huge.status).toBe(413);
  });

  it('rate-limits per visitor: 429 with Retry-After after 10 questions a minute and 3 leads per 10 minutes', async () => {
    const asks: number[] = [];
    for (let i = 0; i < 11; i++) asks.push((await widget(BUSY.slug, 'ask', { question: `hours ${i}?` })).status);
    expect(asks.slice(0, 10).every((s) => s === 200)).toBe(true);
    const limited = await widget(BUSY.slug, 'ask', { question: 'one more?' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('access-control-allow-origin')).toBe('*');
    expect(limited.headers.get('access-control-expose-headers')).toContain('Retry-After');
    const leads: number[] = [];
    for (let i = 0; i < 4; i++) leads.push((await widget(BUSY.slug, 'lead', { phone: `+1416555060${i}`, message: `lead ${i}` })).status);
    expect(leads).toEqual([201, 201, 201, 429]);
    const leadSignals = await h.aios.db.selectFrom('signals').select('id').where('tenant_id', '=', tid(BUSY.slug)).where('kind', '=', 'new_lead').execute();
    expect(leadSignals).toHaveLength(3);
    // Another business's quota is its own.
    expect((await widget(ACME.slug, 'ask', { question: 'What are your opening hours?' })).status).toBe(200);
  });

  it('turns off with widget.enabled: false in forms.yaml', async () => {
    writeFileSync(join(tenantDir(NOFORMS.slug), 'forms.yaml'), 'widget:\n  enabled: false\n');
    const res = await widget(NOFORMS.slug, 'lead', { phone: '+14165550111' });
    expect(res.status).toBe(404);
    expect(res.json.error).toBe('widget_disabled');
  });
});
