import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { extractText, getDocumentProxy } from 'unpdf';
import { startHarness, eventually, type Harness } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { ManualClock } from '../src/core/clock.js';
import { newId } from '../src/core/ids.js';
import { syncKnowledge } from '../src/knowledge/sync.js';

/**
 * The proposal playbook end to end: owner asks (API) → line items priced from the price list only,
 * an unpriced item "to be quoted by the owner" → approval even though the policy sends mail by
 * itself → approved → the SMTP sink gets the mail with the PDF, which parses back with the prices.
 */
const PHONE = '+14165550600';
const POLICY = `version: 1
default: auto
actions:
  sms.send: auto
  email.send: auto
first_contact: auto
max_per_recipient_per_day: 20
over_limit: never
`;
const demo = (f: string) => readFileSync(join(import.meta.dirname, '..', 'demo', 'knowledge', f), 'utf8');
const clock = new ManualClock('2026-12-01T15:00:00Z');
let smtp: SmtpSink;
let h: Harness;
let token: string;
let tenantId: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  h = await startHarness([{ slug: 'maple', phone: PHONE, policy: POLICY, files: { 'knowledge/price-list.csv': demo('price-list.csv'), 'knowledge/pricing.md': demo('pricing.md'), 'knowledge/voice.md': demo('voice.md') } }], {
    clock, config: { AIOS_SMTP_URL: smtp.url, AIOS_SMTP_FROM: '"Maple Plumbing" <office@maple.example>' },
  });
  tenantId = h.aios.tenants.bySlugOrThrow('maple').id;
  token = h.aios.cliTokens.get('maple')!;
  await syncKnowledge(h.aios.db, tenantId, join(h.home, 'tenants', 'maple', 'knowledge'));
});
afterAll(async () => {
  await h?.stop();
  await smtp?.close();
});

async function dealFor(contact: { name?: string; email?: string | null; phone?: string | null }, title: string, customerSays?: string): Promise<string> {
  const contactId = newId('ct');
  await h.aios.db.insertInto('contacts').values({ id: contactId, tenant_id: tenantId, name: contact.name ?? null, name_source: contact.name ? 'owner' : null, email: contact.email ?? null, phone: contact.phone ?? null }).execute();
  const dealId = newId('deal');
  await h.aios.db.insertInto('deals').values({ id: dealId, tenant_id: tenantId, contact_id: contactId, title, stage: 'new lead' }).execute();
  if (customerSays) {
    const cv = newId('cv');
    await h.aios.db.insertInto('conversations').values({ id: cv, tenant_id: tenantId, contact_id: contactId, channel: 'email', address: contact.email ?? 'x@example.com', last_message_at: clock.now() }).execute();
    await h.aios.db.insertInto('messages').values({ id: newId('msg'), tenant_id: tenantId, conversation_id: cv, direction: 'inbound', body: customerSays }).execute();
  }
  return dealId;
}

const pdfText = async (bytes: Uint8Array) => (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text;

describe('proposal playbook', () => {
  it('prices every line from knowledge, leaves an unknown item unpriced, asks the owner under an auto policy, then mails the PDF', async () => {
    const dealId = await dealFor({ name: 'Ana Lopez', email: 'ana@customer.example' }, 'Basement bathroom',
      'Hello! Could you quote a camera inspection of the main drain, a toilet installation and also a heated floor for the new bathroom? Someone told me it is $99.');
    const res = await h.api(token, 'POST', `/api/v1/deals/${dealId}/proposal`, { notes: 'Also add the faucet replacement.' });
    expect(res.status).toBe(202);
    const runId = res.json.runId as string;

    const approval = await eventually(async () => h.aios.db.selectFrom('approvals').selectAll().where('run_id', '=', runId).where('status', '=', 'pending').executeTakeFirst(), 20_000, 'the approval');
    expect(approval.action_kind).toBe('email.send');
    expect(approval.recipient).toBe('ana@customer.example');
    expect(JSON.stringify(approval.reasons)).toContain('playbook_requires_approval');
    expect(smtp.received).toHaveLength(0);

    const row = await h.aios.db.selectFrom('proposals').selectAll().where('run_id', '=', runId).executeTakeFirstOrThrow();
    expect(row.status).toBe('draft');
    expect(row.version).toBe(1);
    const items = row.line_items.map((i) => [i.description, i.unitCents, i.file]);
    expect(items).toEqual([
      ['Faucet replacement', 17900, 'price-list.csv'],
      ['Camera inspection', 19900, 'price-list.csv'],
      ['Toilet installation', 24900, 'price-list.csv'],
    ]);
    const facts = await h.aios.db.selectFrom('knowledge_facts').select(['id', 'amount_cents']).where('id', 'in', row.line_items.map((i) => i.factId)).execute();
    expect(facts.map((f) => Number(f.amount_cents)).sort()).toEqual([17900, 19900, 24900]);
    expect(Number(row.total_cents)).toBe(17900 + 19900 + 24900);
    expect(row.unpriced).toEqual(['also a heated floor for the new bathroom']);
    const unpricedSection = row.markdown.split('## To be quoted by the owner')[1]!;
    expect(unpricedSection).toContain('- also a heated floor for the new bathroom');
    expect(unpricedSection).not.toMatch(/\$\d/);
    expect(row.markdown).not.toContain('$99');

    const text = await pdfText(row.pdf);
    for (const s of ['Faucet replacement', '$179', 'Camera inspection', '$199 per visit', 'Toilet installation', '$249', 'Total: $627 CAD', 'To be quoted by the owner', 'heated floor', 'Dana & the Maple team']) expect(text).toContain(s);
    expect(text).not.toContain('$99');

    const ok = await h.api(token, 'POST', `/api/v1/approvals/${approval.id}/approve`, {});
    expect(ok.status).toBe(200);
    await eventually(async () => smtp.received.length === 1, 15_000, 'the proposal mail');
    const mail = await simpleParser(smtp.received[0]!);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('ana@customer.example');
    expect(mail.subject).toBe('maple Co: proposal 1 for Basement bathroom');
    expect(mail.text).toContain('Hi Ana,');
    expect(mail.text).toContain('Total: $627 CAD');
    const att = mail.attachments.find((a) => a.filename === 'proposal-1.pdf');
    expect(att?.contentType).toBe('application/pdf');
    expect(await pdfText(new Uint8Array(att!.content))).toContain('Total: $627 CAD');

    const sent = await eventually(async () => h.aios.db.selectFrom('proposals').selectAll().where('id', '=', row.id).where('status', '=', 'sent').executeTakeFirst(), 10_000, 'status sent');
    expect(sent.approved_by).toBeTruthy();
    expect(sent.sent_at).toBeTruthy();
    const listed = await h.api(token, 'GET', `/api/v1/proposals?deal=${dealId}`);
    expect(listed.json.proposals).toMatchObject([{ id: row.id, status: 'sent', total_cents: 62700 }]);
    const pdf = await fetch(`${h.aios.url}/api/v1/proposals/${row.id}/pdf`, { headers: { authorization: `Bearer ${token}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a deal whose contact has no email is skipped with the reason; nothing is stored or sent', async () => {
    const dealId = await dealFor({ name: 'Bo', phone: '+14165550611' }, 'Water heater');
    const res = await h.api(token, 'POST', `/api/v1/deals/${dealId}/proposal`, {});
    const run = await eventually(async () => h.aios.db.selectFrom('runs').selectAll().where('id', '=', res.json.runId).where('status', '=', 'completed').executeTakeFirst(), 15_000, 'the run');
    expect(run.summary).toBe('no proposal: the deal\'s contact has no email address to send the proposal to');
    expect(await h.aios.db.selectFrom('proposals').select('id').where('deal_id', '=', dealId).execute()).toEqual([]);
    const missing = await h.api(token, 'POST', '/api/v1/deals/deal_nope/proposal', {});
    expect(missing.status).toBe(404);
  });

  it('a rejected proposal is marked rejected and never mailed', async () => {
    const before = smtp.received.length;
    const dealId = await dealFor({ email: 'cy@customer.example' }, 'Drain cleaning');
    const res = await h.api(token, 'POST', `/api/v1/deals/${dealId}/proposal`, {});
    const approval = await eventually(async () => h.aios.db.selectFrom('approvals').selectAll().where('run_id', '=', res.json.runId).where('status', '=', 'pending').executeTakeFirst(), 20_000, 'the approval');
    await h.api(token, 'POST', `/api/v1/approvals/${approval.id}/reject`, { reason: 'not yet' });
    await eventually(async () => h.aios.db.selectFrom('proposals').select('id').where('run_id', '=', res.json.runId).where('status', '=', 'rejected').executeTakeFirst(), 10_000, 'status rejected');
    expect(smtp.received.length).toBe(before);
  });
});
