import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { extractText, getDocumentProxy } from 'unpdf';
import { startHarness, eventually, EMAIL_AUTO_POLICY as POLICY, type Harness } from './support/harness.js';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.js';
import { ManualClock } from '../src/core/clock.js';
import { mortgageFile } from './support/mortgage-data.js';

/**
 * Document QC over the API with real PostgreSQL, OCR and an SMTP sink: a package of three shared
 * scans checked against a tenant's own checklist → three exceptions with evidence, a signal, the
 * ledger's first-check entry; waive needs a reason; "request" drafts the client email, which the
 * requester cannot approve and the owner can; resolving the rest makes the package ready.
 */
const CHECKLIST = `id: income-check
label: Income and identity
items:
  - { id: pay_stub, label: Recent pay stub, types: [pay_stub], max_age_days: 30, must_name: borrower }
  - { id: payroll_check, label: Payroll cheque, types: [check], must_name: borrower }
  - { id: government_id, label: Government ID, types: [government_id], must_name: borrower, not_expired: true }
  - { id: w2, label: W-2 for last year, types: [w2], must_name: borrower }
`;
const clock = new ManualClock('2008-09-15T15:00:00Z');
let smtp: SmtpSink;
let h: Harness;
let owner: string;
let tenantId: string;

beforeAll(async () => {
  smtp = await startSmtpSink();
  h = await startHarness([{ slug: 'ficus', phone: '+14165550610', policy: POLICY, files: { 'checklists/income-check.yaml': CHECKLIST } }], {
    clock, config: { AIOS_SMTP_URL: smtp.url, AIOS_SMTP_FROM: '"Ficus Mortgages" <office@ficus.example>' },
  });
  tenantId = h.aios.tenants.bySlugOrThrow('ficus').id;
  owner = h.aios.cliTokens.get('ficus')!;
});
afterAll(async () => {
  await h?.stop();
  await smtp?.close();
});

async function upload(token: string, packageId: string, name: string, type = 'application/pdf', bytes = mortgageFile(name).bytes) {
  const res = await fetch(`${h.aios.url}/api/v1/document-uploads/${packageId}?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: bytes });
  return { status: res.status, json: await res.json() as any };
}

describe('document QC API', () => {
  let pkg: string;
  it('creates a package, reads three uploads and lists exactly the three exceptions with evidence; raises a signal and a ledger entry', async () => {
    const bad = await h.api(owner, 'POST', '/api/v1/document-packages', { name: 'Stiles', checklist: 'refi' });
    expect(bad.status).toBe(400);
    expect(bad.json.fix).toMatch(/income-check, |purchase/);
    const created = await h.api(owner, 'POST', '/api/v1/document-packages', { name: 'Stiles purchase', checklist: 'income-check', borrowers: ['John Stiles'], clientEmail: 'john@client.example' });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    pkg = created.json.id;
    expect(created.json.asOf).toBe('2008-09-15');
    for (const f of ['lending_package_pay_stub.pdf', 'lending_package_check.pdf']) expect((await upload(owner, pkg, f)).status).toBe(200);
    const last = await upload(owner, pkg, 'lending_package_ID_Card.pdf');
    expect(last.status).toBe(200);
    expect(last.json.status).toBe('exceptions_open');
    expect(last.json.documents.map((d: any) => d.type)).toEqual(['government_id', 'check', 'pay_stub']);
    expect(last.json.exceptions.map((e: any) => [e.kind, e.status])).toEqual([['stale', 'open'], ['missing', 'open'], ['name_mismatch', 'open']]);
    const stale = last.json.exceptions.find((e: any) => e.kind === 'stale');
    expect(stale.evidence).toEqual([{ file: 'lending_package_pay_stub.pdf', page: 1, seen: 'Pay date: 7/25/2008' }]);
    const signals = await h.aios.db.selectFrom('signals').select(['kind', 'subject', 'status']).where('tenant_id', '=', tenantId).where('kind', '=', 'documents_exceptions_open').execute();
    expect(signals).toEqual([{ kind: 'documents_exceptions_open', subject: pkg, status: 'open' }]);
    const ledger = await h.api(owner, 'GET', '/api/v1/document-qc/ledger');
    expect(ledger.json).toMatchObject({ firstChecks: 1, withExceptions: 1, rate: 1, reviewMinutes: 18 });
    const md = await fetch(`${h.aios.url}/api/v1/document-packages/${pkg}/report.md`, { headers: { authorization: `Bearer ${owner}` } });
    expect(await md.text()).toContain('Not ready: 3 open exceptions.');
    const pdf = await fetch(`${h.aios.url}/api/v1/document-packages/${pkg}/report.pdf`, { headers: { authorization: `Bearer ${owner}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect((await extractText(await getDocumentProxy(new Uint8Array(await pdf.arrayBuffer())), { mergePages: true })).text).toContain('Pay date: 7/25/2008');
  });

  it('refuses what is not a PDF or image, and an anonymous caller', async () => {
    const txt = await upload(owner, pkg, 'notes.txt', 'text/plain', new TextEncoder().encode('hello'));
    expect(txt.status).toBe(400);
    expect(txt.json.fix).toMatch(/application\/pdf/);
    const anon = await fetch(`${h.aios.url}/api/v1/document-packages/${pkg}`);
    expect(anon.status).toBe(401);
  });

  it('waive needs a reason; request drafts the client email that the requester cannot approve; the owner does; then ready', async () => {
    const staff = (await h.api(owner, 'POST', '/api/v1/users', { name: 'Sam', email: 'sam@ficus.example', role: 'staff' })).json.user;
    const sam = (await h.api(owner, 'POST', '/api/v1/tokens', { name: 'sam', principal: staff.id })).json.token as string;
    const view = (await h.api(sam, 'GET', `/api/v1/document-packages/${pkg}`)).json;
    const byKind = (k: string) => view.exceptions.find((e: any) => e.kind === k).id as string;
    const noReason = await h.api(sam, 'POST', `/api/v1/document-packages/${pkg}/exceptions/${byKind('stale')}`, { action: 'waive', reason: '' });
    expect(noReason.status).toBe(400);
    expect((await h.api(sam, 'POST', `/api/v1/document-packages/${pkg}/exceptions/${byKind('stale')}`, { action: 'waive', reason: 'lender accepts a 60-day stub' })).json.exceptions.find((e: any) => e.kind === 'stale')).toMatchObject({ status: 'waived', note: 'lender accepts a 60-day stub' });

    const asked = await h.api(sam, 'POST', `/api/v1/document-packages/${pkg}/exceptions/${byKind('missing')}`, { action: 'request' });
    expect(asked.status).toBe(200);
    expect(asked.json.status).toBe('exceptions_open');
    const approval = await eventually(async () => h.aios.db.selectFrom('approvals').selectAll().where('tenant_id', '=', tenantId).where('status', '=', 'pending').where('recipient', '=', 'john@client.example').executeTakeFirst(), 20_000, 'the request approval');
    expect(approval.action_kind).toBe('email.send');
    expect(JSON.stringify(approval.reasons)).toContain('playbook_requires_approval');
    expect(smtp.received).toHaveLength(0);
    const self = await h.api(sam, 'POST', `/api/v1/approvals/${approval.id}/approve`, {});
    expect(self.status).toBe(403);
    expect((await h.api(owner, 'POST', `/api/v1/approvals/${approval.id}/approve`, {})).status).toBe(200);
    await eventually(async () => smtp.received.length === 1, 15_000, 'the request mail');
    const mail = await simpleParser(smtp.received[0]!);
    expect(mail.subject).toBe('ficus Co: documents needed for Stiles purchase');
    expect(mail.text).toContain('- W-2 for last year');
    expect(mail.text).not.toContain('Maria');

    expect((await h.api(sam, 'POST', `/api/v1/document-packages/${pkg}/submit`, {})).status).toBe(409);
    await h.api(sam, 'POST', `/api/v1/document-packages/${pkg}/exceptions/${byKind('name_mismatch')}`, { action: 'resolve', note: 'ID is the co-borrower\'s' });
    const w2 = await upload(owner, pkg, 'lending_package_w2.pdf');
    // The W-2 arrived: the requested "missing" is no longer found; it names Desai, not the borrower.
    expect(w2.json.exceptions.map((e: any) => [e.kind, e.status])).toEqual([['stale', 'waived'], ['missing', 'resolved'], ['name_mismatch', 'resolved'], ['name_mismatch', 'open']]);
    const last = w2.json.exceptions.at(-1);
    await h.api(sam, 'POST', `/api/v1/document-packages/${pkg}/exceptions/${last.id}`, { action: 'waive', reason: 'co-borrower W-2, borrower W-2 to follow' });
    const done = await h.api(sam, 'POST', `/api/v1/document-packages/${pkg}/submit`, {});
    expect(done.status).toBe(200);
    expect(done.json.status).toBe('submitted');
    const sig = await h.aios.db.selectFrom('signals').select('status').where('tenant_id', '=', tenantId).where('kind', '=', 'documents_exceptions_open').execute();
    expect(sig.map((s) => s.status)).toEqual(['resolved']);
  });
});
