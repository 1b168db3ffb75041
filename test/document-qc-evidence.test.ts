import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcr, findSignatures, readPackage, type Ocr } from '../src/knowledge/documents/index.js';
import { readPdfPages } from '../src/knowledge/documents/pdf-pages.js';
import { loadChecklists, parseChecklist } from '../src/autonomy/document-qc/checklist.js';
import { checkFiles } from '../src/autonomy/document-qc/check-files.js';
import { mortgageFile, signatureFieldPdf, textPdf } from './support/mortgage-data.js';

/**
 * The two checks that were heuristics: 90 days of bank statements is *coverage* (statement periods
 * covering the 90 days before the package date, no gap — one exception naming the missing dates),
 * and "signed" is explained (a PDF signature field with a value, an e-signature stamp, or a name
 * or date filled next to the signature line), each unsigned exception quoting the place looked at.
 */
let ocr: Ocr;
beforeAll(async () => { ocr = await createOcr(); });
afterAll(async () => ocr?.close());

const STATEMENTS = parseChecklist(`id: bank\nlabel: Bank\nitems:\n  - { id: bank_statements, label: 90 days of bank statements, types: [account_statement], covers_days: 90, must_name: borrower }\n`, 'bank.yaml');
const statement = (name: string, period: string) => textPdf(name, ['ACCOUNT STATEMENT', `Jane Doe Statement Period ${period}`, '100 Main Street, Anytown Account Number 333 008755555', 'Account Name Jane Doe', 'Closing Balance $1,204.50']);
const check = async (files: Parameters<typeof checkFiles>[1], asOf = '2024-04-15') => (await checkFiles('Doe', files, STATEMENTS, { asOf, borrowers: ['Jane Doe'] }, null)).result.exceptions;

describe('90 days of bank statements: coverage, not a count', () => {
  it('the shipped purchase checklist asks for 90 days of coverage', () => {
    expect(loadChecklists().get('purchase')!.items.find((i) => i.id === 'bank_statements')).toMatchObject({ covers_days: 90, open_cycle_days: 31, count: 1 });
  });

  it('January, February and March cover the 90 days before 15 April: no exception', async () => {
    expect(await check([await statement('jan.pdf', '1 JAN 2024 to 31 JAN 2024'), await statement('feb.pdf', '1 FEB 2024 to 29 FEB 2024'), await statement('mar.pdf', '1 MAR 2024 to 31 MAR 2024')])).toEqual([]);
  });

  it('a missing February is one exception naming the missing range, with both statements as evidence', async () => {
    const ex = await check([await statement('jan.pdf', '1 JAN 2024 to 31 JAN 2024'), await statement('mar.pdf', '1 MAR 2024 to 31 MAR 2024')]);
    expect(ex.map((e) => e.kind)).toEqual(['coverage_gap']);
    expect(ex[0]!.message).toContain('29 of the 90 days before 2024-04-15 not covered: 2024-02-01 to 2024-02-29');
    expect(ex[0]!.evidence).toEqual([
      { file: 'jan.pdf', page: 1, seen: 'Statement Period 1 JAN 2024 to' },
      { file: 'mar.pdf', page: 1, seen: 'Statement Period 1 MAR 2024 to' },
    ]);
  });

  it('short coverage at the start, and statements that stop too early, name their ranges', async () => {
    const [short] = await check([await statement('mar.pdf', '1 MAR 2024 to 31 MAR 2024')]);
    expect(short!.message).toContain('not covered: 2024-01-16 to 2024-02-29');
    const [early] = await check([await statement('jan.pdf', '1 JAN 2024 to 31 JAN 2024'), await statement('feb.pdf', '1 FEB 2024 to 29 FEB 2024')]);
    expect(early!.message).toContain('not covered: 2024-03-01 to 2024-03-15');
  });

  it('a statement showing only its statement date counts as the month ending then (and says so)', async () => {
    const dated = await textPdf('apr.pdf', ['BANK STATEMENT', 'Statement Period: see below', 'Account Number 333 008755555', 'Account Name Jane Doe', 'Statement Date: 03/31/2024']);
    const [gap] = await check([await statement('jan.pdf', '1 JAN 2024 to 31 JAN 2024'), dated]);
    expect(gap!.message).toContain('not covered: 2024-02-01 to 2024-02-29');
    expect(gap!.message).toContain('2024-03-01 to 2024-03-31 (a month assumed: no period start shown)');
  });

  it('the shared scanned statement (May 2021, by OCR) is short of 90 days before 15 June 2021', async () => {
    const { result } = await checkFiles('Doe', [mortgageFile('lending_package_account_statement.pdf')], STATEMENTS, { asOf: '2021-06-15', borrowers: ['Jane Doe'] }, ocr);
    expect(result.exceptions.map((e) => e.kind)).toEqual(['coverage_gap']);
    expect(result.exceptions[0]!.message).toContain('not covered: 2021-03-17 to 2021-04-30 (statements cover 2021-05-01 to 2021-05-31)');
    expect(result.exceptions[0]!.evidence[0]).toMatchObject({ file: 'lending_package_account_statement.pdf', page: 1, seen: expect.stringContaining('Statement Period 1 MAY 2021') });
  });
});

const SIGNED = parseChecklist(`id: app\nlabel: App\nitems:\n  - { id: application, label: Signed application, types: [mortgage_application], signed: true }\n`, 'app.yaml');
const APP = ['Uniform Residential Loan Application', 'Borrower Name: Michael Jones', 'Loan Amount: $162,000.00'];
const unsigned = async (...files: Parameters<typeof checkFiles>[1]) => (await checkFiles('Jones', files, SIGNED, { asOf: '2013-02-20', borrowers: ['Michael Jones'] }, null)).result.exceptions.filter((e) => e.kind === 'unsigned');

describe('signatures, explained', () => {
  it('a PDF signature field without a value is unsigned, quoting the field and the empty line; with a value it is signed', async () => {
    const lines = [...APP, 'Borrower Signature: ____________________   Date: __________'];
    const [ex] = await unsigned(await signatureFieldPdf('blank.pdf', lines, 'BorrowerSignature'));
    expect(ex!.message).toContain('all 2 signature places are empty');
    expect(ex!.evidence).toEqual([
      { file: 'blank.pdf', page: 1, seen: 'PDF signature field "BorrowerSignature" (no signature value)' },
      { file: 'blank.pdf', page: 1, seen: 'Borrower Signature: ____________________ Date: __________' },
    ]);
    expect(await unsigned(await signatureFieldPdf('signed.pdf', lines, 'BorrowerSignature', 'Michael Jones'))).toEqual([]);
    const pages = await readPdfPages((await signatureFieldPdf('signed.pdf', lines, 'BorrowerSignature', 'Michael Jones')).bytes);
    expect(findSignatures(pages)[0]).toEqual({ page: 1, how: 'pdf_field', seen: 'PDF signature field "BorrowerSignature" (signed)' });
  });

  it('an /s/ stamp, a typed name or a date filled next to the line count as signed; underscores alone do not', async () => {
    const withLine = (name: string, line: string) => textPdf(name, [...APP, line]);
    expect(await unsigned(await withLine('s.pdf', 'Borrower Signature: /s/ Michael Jones'))).toEqual([]);
    expect(await unsigned(await withLine('name.pdf', 'Borrower Signature: Michael Jones   Date: ________'))).toEqual([]);
    expect(await unsigned(await withLine('date.pdf', 'Borrower Signature: ______________ Date: 02/20/2013'))).toEqual([]);
    expect(await unsigned(await withLine('docusign.pdf', 'DocuSign Envelope ID: 4F2A-99B1'))).toEqual([]);
    const [empty] = await unsigned(await withLine('empty.pdf', 'Borrower Signature: ______________ Printed name: Michael Jones'));
    expect(empty!.message).toContain('the signature line is empty (“Borrower Signature: ______________ Printed name: Michael Jones”)');
    expect(empty!.evidence).toEqual([{ file: 'empty.pdf', page: 1, seen: 'Borrower Signature: ______________ Printed name: Michael Jones' }]);
  });

  it('no signature place at all says so instead of guessing', async () => {
    const [ex] = await unsigned(await textPdf('nosig.pdf', APP));
    expect(ex!.message).toContain('no signature line, stamp or PDF signature field found');
  });

  it('the shared CFPB forms: each empty "Applicant Signature Date" row is quoted with its page; sentences about signing are not places', async () => {
    const { documents } = await readPackage([mortgageFile('CFPB_Loan_Estimate.pdf'), mortgageFile('CFPB_Closing_Disclosure.pdf')], null);
    expect(documents.map((d) => [d.type, d.signed, d.signatures])).toEqual([
      ['loan_estimate', false, [{ page: 4, how: 'empty_line', seen: 'Applicant Signature Date Co-Applicant Signature Date' }]],
      ['closing_disclosure', false, [10, 12].map((page) => ({ page, how: 'empty_line', seen: 'Applicant Signature Date Co-Applicant Signature Date' }))],
    ]);
    const cl = parseChecklist(`id: le\nlabel: LE\nitems:\n  - { id: le, label: Signed loan estimate, types: [loan_estimate], signed: true }\n`, 'le.yaml');
    const { result } = await checkFiles('Jones', [mortgageFile('CFPB_Loan_Estimate.pdf')], cl, { asOf: '2013-02-20' }, null);
    expect(result.exceptions.map((e) => [e.kind, e.evidence])).toEqual([['unsigned', [{ file: 'CFPB_Loan_Estimate.pdf', page: 4, seen: 'Applicant Signature Date Co-Applicant Signature Date' }]]]);
  });
});
