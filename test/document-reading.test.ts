import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOcr, offlineOcrOptions, readPackage, type Ocr, type ReadDocument } from '../src/knowledge/documents/index.js';
import { encryptedPdf, MORTGAGE_DIR, mortgageFile, whitePng } from './support/mortgage-data.js';

let ocr: Ocr;
beforeAll(async () => {
  if (!existsSync(MORTGAGE_DIR)) throw new Error(`shared mortgage data missing at ${MORTGAGE_DIR}`);
  ocr = await createOcr();
});
afterAll(async () => ocr?.close());

const values = (d: ReadDocument) => Object.fromEntries(Object.entries(d.fields).map(([k, v]) => [k, v!.value]));

describe('reading mortgage documents (shared data)', () => {
  it('classifies the CFPB Loan Estimate as one document and extracts loan amount, rate and lender', async () => {
    const { documents, unreadable } = await readPackage([mortgageFile('CFPB_Loan_Estimate.pdf')], ocr);
    expect(unreadable).toEqual([]);
    expect(documents).toHaveLength(1);
    const [le] = documents;
    expect(le!.type).toBe('loan_estimate');
    expect(le!.pages).toEqual([1, 2, 3, 4]);
    expect(le!.source).toBe('text');
    // The sample's sale price is $180,000; its loan amount is $162,000 (page 2, "Loan Amount $162,000").
    expect(values(le!)).toMatchObject({ loanAmount: '16200000', salePrice: '18000000', interestRate: '3.875', lender: 'Ficus Bank', name: 'Michael Jones', coName: 'Mary Stone', documentDate: '2013-02-15' });
    expect(le!.fields.loanAmount).toMatchObject({ page: 2, seen: expect.stringContaining('Loan Amount $162,000') });
    expect(le!.blank).toBe(false);
  });

  it('splits the scanned lending package into its six documents, each classified, by OCR', async () => {
    const { documents, pageCounts } = await readPackage([mortgageFile('lending_package.pdf')], ocr);
    expect(pageCounts).toEqual({ text: 0, ocr: 6, none: 0 });
    expect(documents.map((d) => [d.pages, d.type])).toEqual([
      [[1], 'pay_stub'], [[2], 'check'], [[3], 'government_id'], [[4], 'account_statement'], [[5], 'w2'], [[6], 'insurance_application'],
    ]);
    expect(values(documents[0]!)).toMatchObject({ name: 'John Stiles', employer: 'Any Company Corp', income: '45243', documentDate: '2008-07-25' });
    expect(values(documents[2]!)).toMatchObject({ name: 'Maria Garcia' });
    expect(values(documents[3]!)).toMatchObject({ name: 'Jane Doe', documentDate: '2021-05-31' });
    expect(documents.every((d) => d.source === 'ocr')).toBe(true);
  });

  it('classifies the separate single-page scans the same way', async () => {
    const names = { lending_package_pay_stub: 'pay_stub', lending_package_check: 'check', lending_package_ID_Card: 'government_id', lending_package_account_statement: 'account_statement', lending_package_w2: 'w2' };
    const { documents } = await readPackage(Object.keys(names).map((n) => mortgageFile(`${n}.pdf`)), ocr);
    expect(documents.map((d) => [d.file, d.type])).toEqual(Object.entries(names).map(([n, t]) => [`${n}.pdf`, t]));
  });

  it('reports the blank Closing Disclosure, HUD-1 and insurance form as blank', async () => {
    const { documents } = await readPackage(['CFPB_Closing_Disclosure.pdf', 'HUD1_Settlement_Statement.pdf', 'homeowner_insurance_application_sample.pdf'].map(mortgageFile), ocr);
    expect(documents.map((d) => [d.type, d.blank])).toEqual([['closing_disclosure', true], ['settlement_statement', true], ['insurance_application', true]]);
  });
});

describe('bad input is listed, never passed', () => {
  it('encrypted, corrupt, unsupported and too-small files are unreadable with a reason', async () => {
    const { documents, unreadable } = await readPackage([
      await encryptedPdf('locked.pdf'),
      { name: 'broken.pdf', bytes: new TextEncoder().encode('%PDF-1.7\n1 0 obj garbage') },
      { name: 'notes.docx', bytes: new TextEncoder().encode('PK\x03\x04 not an image') },
      { name: 'thumb.png', bytes: whitePng(120, 80) },
    ], ocr);
    expect(documents).toEqual([]);
    expect(unreadable.map((u) => [u.file, u.reason])).toEqual([['locked.pdf', 'encrypted'], ['broken.pdf', 'corrupt'], ['notes.docx', 'unsupported'], ['thumb.png', 'too-small']]);
    expect(unreadable[3]!.message).toMatch(/too small.*120×80/);
  });

  it('a blank page image big enough to read is unreadable (no text), not a passed document', async () => {
    const { documents, unreadable } = await readPackage([{ name: 'white.png', bytes: whitePng(800, 600) }], ocr);
    expect(documents).toEqual([]);
    expect(unreadable).toMatchObject([{ file: 'white.png', reason: 'unreadable', message: expect.stringMatching(/no readable text/) }]);
  });
});

describe('OCR is offline', () => {
  it('points tesseract.js at the English data inside node_modules, with no cache', () => {
    const opts = offlineOcrOptions();
    expect(opts.langPath).toBe(join(process.cwd(), 'node_modules', '@tesseract.js-data', 'eng', '4.0.0'));
    expect(existsSync(join(opts.langPath!, 'eng.traineddata.gz'))).toBe(true);
    expect(opts.cacheMethod).toBe('none');
  });

  it('reads a scanned page in a process with no network at all (unshare -n)', () => {
    const script = `import { readPackage, createOcr } from ${JSON.stringify(join(process.cwd(), 'src/knowledge/documents/index.ts'))};
      import { readFileSync } from 'node:fs';
      const ocr = await createOcr();
      const r = await readPackage([{ name: 'c.pdf', bytes: new Uint8Array(readFileSync(${JSON.stringify(join(MORTGAGE_DIR, 'lending_package_check.pdf'))})) }], ocr);
      await ocr.close();
      console.log(JSON.stringify(r.documents.map((d) => [d.type, d.fields.name?.value])));`;
    const file = join(mkdtempSync(join(tmpdir(), 'aios-ocr-')), 'offline-ocr.mts');
    writeFileSync(file, script);
    const out = execFileSync('unshare', ['-n', process.execPath, '--import', 'tsx', file], { cwd: process.cwd(), encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual([['check', 'John Stiles']]);
  });
});
