import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.js';
import { createOcr, readPackage, type Ocr } from '../src/knowledge/documents/index.js';
import { loadChecklists, parseChecklist } from '../src/autonomy/document-qc/checklist.js';
import { checkPackage } from '../src/autonomy/document-qc/checks.js';
import { checkFiles } from '../src/autonomy/document-qc/check-files.js';
import { reportMarkdown, reportPdf } from '../src/autonomy/document-qc/report.js';
import { mortgageFile, textPdf } from './support/mortgage-data.js';

let ocr: Ocr;
beforeAll(async () => { ocr = await createOcr(); });
afterAll(async () => ocr?.close());

/** Pay stub, cheque, ID and W-2 of one borrower: the scanned package's own documents. */
const INCOME_CHECKLIST = parseChecklist(`
id: income-check
label: Income and identity
items:
  - { id: pay_stub, label: Recent pay stub, types: [pay_stub], max_age_days: 30, must_name: borrower }
  - { id: payroll_check, label: Payroll cheque, types: [check], must_name: borrower }
  - { id: government_id, label: Government ID, types: [government_id], must_name: borrower, not_expired: true }
  - { id: w2, label: W-2, types: [w2], must_name: borrower }
agree:
  - field: employer
`, 'income-check.yaml');

describe('checking a package built from the shared scans', () => {
  it('one document removed, one stale date, one mismatched name: exactly those three exceptions, with evidence', async () => {
    // The W-2 is left out; the pay stub (pay date 2008-07-25) is 52 days old on 2008-09-15; the
    // ID card names Maria Garcia while the pay stub and cheque name the borrower John Stiles.
    const files = ['lending_package_pay_stub.pdf', 'lending_package_check.pdf', 'lending_package_ID_Card.pdf'].map(mortgageFile);
    const { result, report } = await checkFiles('Stiles purchase', files, INCOME_CHECKLIST, { asOf: '2008-09-15', borrowers: ['John Stiles'] }, ocr);
    expect(result.exceptions.map((e) => [e.kind, e.item])).toEqual([['stale', 'pay_stub'], ['name_mismatch', 'government_id'], ['missing', 'w2']]);
    const [stale, name, missing] = result.exceptions;
    expect(stale!.evidence).toEqual([{ file: 'lending_package_pay_stub.pdf', page: 1, seen: 'Pay date: 7/25/2008' }]);
    expect(stale!.message).toMatch(/2008-07-25, 52 days before 2008-09-15 \(at most 30\)/);
    expect(name!.evidence).toMatchObject([{ file: 'lending_package_ID_Card.pdf', page: 1, seen: expect.stringMatching(/MARIA[\s\S]*GARCIA/) }]);
    expect(name!.message).toMatch(/names Maria Garcia, not the borrower John Stiles/);
    expect(missing!.message).toMatch(/W-2: 0 of 1 found/);
    expect(result.matched).toMatchObject({ pay_stub: ['lending_package_pay_stub.pdf#1'], payroll_check: ['lending_package_check.pdf#1'] });

    const md = reportMarkdown(report);
    expect(md).toContain('Not ready: 3 open exceptions.');
    expect(md).toContain('lending\\_package\\_pay\\_stub.pdf page 1: “Pay date: 7/25/2008”');
    const pdf = await getDocumentProxy(await reportPdf(report));
    const text = (await extractText(pdf, { mergePages: true })).text.replace(/\s+/g, ' ');
    expect(text).toContain('Not ready: 3 open exceptions.');
    expect(text).toContain('lending_package_pay_stub.pdf page 1: "Pay date: 7/25/2008"');
    expect(text).toContain('names Maria Garcia, not the borrower John Stiles');
  });

  it('the same documents, fresh and with the W-2 and without the ID, pass; the borrower is taken from the documents', async () => {
    const read = await readPackage(['lending_package_pay_stub.pdf', 'lending_package_check.pdf'].map(mortgageFile), ocr);
    const lenient = parseChecklist(`id: stub\nlabel: Stub\nitems:\n  - { id: pay_stub, label: Pay stub, types: [pay_stub], max_age_days: 30, must_name: borrower }\n  - { id: payroll_check, label: Cheque, types: [check], must_name: borrower }\nagree: [{ field: employer }]\n`, 'stub.yaml');
    const result = checkPackage(read, lenient, { asOf: '2008-08-01' });
    expect(result).toMatchObject({ exceptions: [], borrowers: ['John Stiles'], borrowersInferred: true });
  });

  it('the blank Closing Disclosure is reported blank where a filled one is required', async () => {
    const cl = parseChecklist(`id: closing\nlabel: Closing\nitems:\n  - { id: cd, label: Closing Disclosure, types: [closing_disclosure], filled: true }\n`, 'closing.yaml');
    const { result } = await checkFiles('closing', [mortgageFile('CFPB_Closing_Disclosure.pdf')], cl, { asOf: '2026-01-01', borrowers: ['Michael Jones'] }, ocr);
    expect(result.exceptions.map((e) => e.kind)).toEqual(['blank']);
    expect(result.exceptions[0]!.message).toMatch(/Closing Disclosure .*CFPB_Closing_Disclosure.pdf pages 1–13.* is a blank form/);
  });

  it('unsigned application, disagreeing loan amount, unknown and unreadable files are each an exception', async () => {
    const application = await textPdf('application.pdf', ['Uniform Residential Loan Application', 'Borrower Name: Michael Jones', 'Loan Amount: $172,000.00', 'Property Address: 456 Somewhere Avenue, Anytown, ST 12345', 'Borrower Signature: ____________________']);
    const note = await textPdf('note.pdf', ['Grocery list: milk, eggs, bread, and a birthday card for Sam.']);
    const cl = parseChecklist(`id: t\nlabel: T\nitems:\n  - { id: application, label: Signed application, types: [mortgage_application], signed: true, filled: true, must_name: borrower }\n  - { id: le, label: Loan estimate, types: [loan_estimate], filled: true, must_name: borrower }\nagree: [{ field: loanAmount }]\n`, 't.yaml');
    const { result, report } = await checkFiles('Jones', [application, mortgageFile('CFPB_Loan_Estimate.pdf'), note, { name: 'scan.pdf', bytes: new TextEncoder().encode('%PDF-1.4 broken') }], cl, { asOf: '2013-02-20', borrowers: ['Michael Jones'] }, ocr);
    expect(result.exceptions.map((e) => e.kind)).toEqual(['unsigned', 'field_mismatch', 'unknown_type', 'unreadable']);
    const mismatch = result.exceptions[1]!;
    expect(mismatch.evidence.map((e) => [e.file, e.page, e.seen])).toEqual([['application.pdf', 1, 'Loan Amount: $172,000.00'], ['CFPB_Loan_Estimate.pdf', 2, 'Loan Amount $162,000']]);
    expect(reportMarkdown(report)).toContain('Not ready: 4 open exceptions.');
  });
});

describe('checklists as data', () => {
  it('ships a purchase-mortgage checklist with the issue\'s items', () => {
    const purchase = loadChecklists().get('purchase')!;
    expect(purchase.items.map((i) => [i.id, i.count])).toEqual([['government_id', 1], ['pay_stubs', 2], ['income_history', 2], ['bank_statements', 1], ['application', 1], ['purchase_agreement', 1], ['loan_estimate', 1]]);
    expect(purchase.items.find((i) => i.id === 'pay_stubs')!.max_age_days).toBe(30);
  });

  it('a business adds its own checklist in its folder; a bad one names the file and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-cl-'));
    mkdirSync(join(dir, 'checklists'));
    writeFileSync(join(dir, 'checklists', 'refinance.yaml'), 'id: refinance\nlabel: Refinance\nitems:\n  - { id: id, label: ID, types: [government_id] }\n');
    expect([...loadChecklists(dir).keys()]).toEqual(['purchase', 'refinance']);
    writeFileSync(join(dir, 'checklists', 'zbad.yaml'), 'id: bad\nlabel: Bad\nitems:\n  - { id: stubs, label: Stubs, types: [paystub], max_age: 30 }\n');
    const err = (() => { try { loadChecklists(dir); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(join(dir, 'checklists', 'zbad.yaml'));
    expect((err as ConfigError).problems.map((p) => p.field)).toEqual(expect.arrayContaining(['items.0.types.0', 'items.0.max_age']));
    expect((err as ConfigError).message).toMatch(/must be one of: .*pay_stub/);
  });
});
