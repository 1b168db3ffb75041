import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { extractText, getDocumentProxy } from 'unpdf';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';
import { encryptedPdf, mortgageFile, textPdf, whitePng } from './support/mortgage-data.js';

/**
 * Document QC over the API, the second half of issue 12 with real PostgreSQL: uploaded bytes are
 * kept and the page an exception points at opens for members of that business only (404 for
 * another); bad input (encrypted, corrupt, too-small image, unsupported type, unknown document)
 * stays listed in the Markdown and PDF reports after a re-check; the first-check exception rate
 * is reported week by week.
 */
const ITEMS = `id: statements\nlabel: Statements\nitems:\n  - { id: statement, label: Account statement, types: [account_statement], count: 0 }\n`;
const SIGNED_LE = `id: signed-le\nlabel: Signed loan estimate\nitems:\n  - { id: le, label: Signed loan estimate, types: [loan_estimate], signed: true }\n`;
const clock = new ManualClock('2024-03-04T15:00:00Z');
let h: Harness;
let ownerA: string;
let ownerB: string;

beforeAll(async () => {
  h = await startHarness([
    { slug: 'ficus', phone: '+14165550631', policy: AUTO_POLICY, files: { 'checklists/statements.yaml': ITEMS, 'checklists/signed-le.yaml': SIGNED_LE } },
    { slug: 'rival', phone: '+14165550632', policy: AUTO_POLICY, files: { 'checklists/statements.yaml': ITEMS } },
  ], { clock });
  ownerA = h.aios.cliTokens.get('ficus')!;
  ownerB = h.aios.cliTokens.get('rival')!;
});
afterAll(async () => h?.stop());

const get = (token: string | null, path: string) => fetch(`${h.aios.url}/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
async function upload(token: string, pkg: string, name: string, bytes: Uint8Array, type = 'application/pdf') {
  const res = await fetch(`${h.aios.url}/api/v1/document-uploads/${pkg}?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: bytes });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json() as Promise<any>;
}
const newPackage = async (token: string, name: string, checklist = 'statements') => (await h.api(token, 'POST', '/api/v1/document-packages', { name, checklist, borrowers: ['Michael Jones'] })).json.id as string;
const pdfText = async (bytes: ArrayBuffer) => (await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true })).text.replace(/\s+/g, ' ');

describe('the uploaded bytes, page by page, to that business only', () => {
  it('an exception\'s evidence page opens as a one-page PDF; the whole file is byte for byte what was sent', async () => {
    const pkg = await newPackage(ownerA, 'Jones purchase', 'signed-le');
    const le = mortgageFile('CFPB_Loan_Estimate.pdf');
    const view = await upload(ownerA, pkg, le.name, le.bytes);
    expect(view.exceptions.map((e: any) => [e.kind, e.evidence])).toEqual([['unsigned', [{ file: le.name, page: 4, seen: 'Applicant Signature Date Co-Applicant Signature Date' }]]]);
    const signaturePage = await get(ownerA, `/document-packages/${pkg}/files/${encodeURIComponent(le.name)}/pages/4`);
    expect(await pdfText(await signaturePage.arrayBuffer())).toContain('Applicant Signature Date');
    const page = await get(ownerA, `/document-packages/${pkg}/files/${encodeURIComponent(le.name)}/pages/2`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('application/pdf');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toContain('sandbox');
    const bytes = await page.arrayBuffer();
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1);
    expect(await pdfText(bytes)).toContain('Loan Amount $162,000');
    const whole = await get(ownerA, `/document-packages/${pkg}/files/${encodeURIComponent(le.name)}`);
    expect(createHash('sha256').update(Buffer.from(await whole.arrayBuffer())).digest('hex')).toBe(createHash('sha256').update(le.bytes).digest('hex'));
    expect((await get(ownerA, `/document-packages/${pkg}/files/${encodeURIComponent(le.name)}/pages/9`)).status).toBe(404);
    expect((await get(ownerA, `/document-packages/${pkg}/files/other.pdf/pages/1`)).status).toBe(404);

    // Another business, with its own valid token: 404 for the package and for its own package + this file name.
    expect((await get(ownerB, `/document-packages/${pkg}/files/${encodeURIComponent(le.name)}/pages/2`)).status).toBe(404);
    expect((await get(ownerB, `/document-packages/${pkg}/files/${encodeURIComponent(le.name)}`)).status).toBe(404);
    const own = await newPackage(ownerB, 'Rival file');
    expect((await get(ownerB, `/document-packages/${own}/files/${encodeURIComponent(le.name)}/pages/1`)).status).toBe(404);
    expect((await get(null, `/document-packages/${pkg}/files/${encodeURIComponent(le.name)}/pages/2`)).status).toBe(401);
  });
});

describe('bad input stays listed after a re-check, in the Markdown and the PDF report', () => {
  it('encrypted, corrupt, too-small image, unsupported type and an unknown document', async () => {
    const pkg = await newPackage(ownerA, 'Bad input');
    await upload(ownerA, pkg, 'locked.pdf', (await encryptedPdf('locked.pdf')).bytes);
    await upload(ownerA, pkg, 'broken.pdf', new TextEncoder().encode('%PDF-1.4 broken'));
    await upload(ownerA, pkg, 'tiny.png', whitePng(120, 80), 'image/png');
    await upload(ownerA, pkg, 'animation.png', new TextEncoder().encode('GIF89a\x01\x00\x01\x00'), 'image/png');
    await upload(ownerA, pkg, 'note.pdf', (await textPdf('note.pdf', ['Grocery list: milk, eggs, bread, and a birthday card for Sam.'])).bytes);
    // A later, good upload re-checks the package from what was stored.
    const last = await upload(ownerA, pkg, 'may.pdf', (await textPdf('may.pdf', ['ACCOUNT STATEMENT', 'Michael Jones Statement Period 1 MAY 2024 to 31 MAY 2024', 'Account Number 1234', 'Account Name Michael Jones'])).bytes);
    expect(last.status).toBe('exceptions_open');
    const byFile = Object.fromEntries(last.exceptions.map((e: any) => [e.evidence[0]?.file, [e.kind, e.evidence[0]?.seen]]));
    expect(byFile).toMatchObject({
      'locked.pdf': ['unreadable', 'encrypted'], 'broken.pdf': ['unreadable', 'corrupt'], 'tiny.png': ['unreadable', 'too-small'],
      'animation.png': ['unreadable', 'unsupported'], 'note.pdf': ['unknown_type', expect.stringContaining('Grocery list')],
    });
    const md = await (await get(ownerA, `/document-packages/${pkg}/report.md`)).text();
    const pdf = await pdfText(await (await get(ownerA, `/document-packages/${pkg}/report.pdf`)).arrayBuffer());
    for (const [file, text] of [['locked', 'encrypted PDF'], ['broken', 'corrupt PDF'], ['tiny', 'image too small to read (120×80 px'], ['animation', 'unsupported file'], ['note', 'document type not recognised']]) {
      expect(md, file).toContain(file);
      expect(md, file).toContain(text);
      expect(pdf, file).toContain(text);
    }
    expect(md).toContain('locked.pdf: “encrypted”');
    expect(pdf).toContain('locked.pdf: "encrypted"');
    expect(md).toContain('Not ready: 5 open exceptions.');
    // The encrypted file cannot be split into pages: a clear 409 pointing at the whole file.
    const locked = await get(ownerA, `/document-packages/${pkg}/files/locked.pdf/pages/1`);
    expect(locked.status).toBe(409);
    expect(((await locked.json()) as any).fix).toContain(`/document-packages/${pkg}/files/locked.pdf`);
  });
});

describe('first-submission exception rate, week by week', () => {
  it('packages first checked over four weeks: the rate per week, re-checks not counted again', async () => {
    const statement = await textPdf('s.pdf', ['ACCOUNT STATEMENT', 'Michael Jones Statement Period 1 FEB 2024 to 29 FEB 2024', 'Account Number 1234', 'Account Name Michael Jones']);
    const note = await textPdf('n.pdf', ['Grocery list: milk, eggs, bread, and a birthday card for Sam.']);
    const plan = [[3, 1], [1, 2], [0, 0], [1, 3]]; // [with exceptions, clean] per week
    const first = new Date('2024-04-01T15:00:00Z'); // a Monday
    for (const [w, [bad, good]] of plan.entries()) {
      clock.set(new Date(first.getTime() + w * 7 * 86_400_000 + 2 * 86_400_000));
      for (let i = 0; i < bad!; i++) {
        const pkg = await newPackage(ownerB, `bad ${w}.${i}`);
        await upload(ownerB, pkg, 'n.pdf', note.bytes);
        await upload(ownerB, pkg, 's.pdf', statement.bytes); // a re-check: not a second first check
      }
      for (let i = 0; i < good!; i++) await upload(ownerB, await newPackage(ownerB, `good ${w}.${i}`), 's.pdf', statement.bytes);
    }
    const res = await h.api(ownerB, 'GET', '/api/v1/document-qc/ledger?weeks=4');
    expect(res.status).toBe(200);
    expect(res.json.weeks.map((w: any) => [w.week, w.firstChecks, w.withExceptions, w.rate])).toEqual([
      ['2024-04-01', 4, 3, 0.75], ['2024-04-08', 3, 1, 1 / 3], ['2024-04-15', 0, 0, null], ['2024-04-22', 4, 1, 0.25],
    ]);
    expect(res.json).toMatchObject({ firstChecks: 11, withExceptions: 5, rate: 5 / 11 });
    // Review minutes: 6 per document read, re-checks included (first week: 3 × 2 uploads + 1).
    expect(res.json.weeks[0].reviewMinutes).toBe(7 * 6);
    expect((await h.api(ownerB, 'GET', '/api/v1/document-qc/ledger?weeks=0')).status).toBe(400);
  });
});
