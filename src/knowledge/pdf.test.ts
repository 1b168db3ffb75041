import { describe, it, expect, afterAll } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { syncKnowledge } from './sync.js';
import { searchKnowledge } from './search.js';
import { makePdf } from './testing/fixtures.js';
import { sharedDataDir } from '../../test/support/shared-data.js';

const t = await createTestDatabase();
afterAll(() => t.close());

/** Shared, read-only sample documents (CFPB/HUD forms); see ../shared/data/README.md. */
const MORTGAGE = join(sharedDataDir() ?? join(import.meta.dirname, '../../../shared/data'), 'mortgage');
const haveShared = existsSync(join(MORTGAGE, 'CFPB_Loan_Estimate.pdf'));
if (!haveShared) {
  if (process.env.CI) throw new Error(`Shared test data is missing at ${MORTGAGE}; CI must provide it.`);
  console.warn(`[pdf.test] skipping the real-PDF tests: ${MORTGAGE} is not present (shared data exists only in the AIOS workspace).`);
}

describe('PDF ingest', () => {
  it('indexes a generated text PDF page by page', async () => {
    const tid = await insertTenant(t.db, 'pdfgen', '+14165550300');
    const dir = mkdtempSync(join(tmpdir(), 'aios-pdf-'));
    writeFileSync(join(dir, 'flyer.pdf'), makePdf(['Backflow testing every spring', 'Certified testers, report filed with the city.']));
    const r = await syncKnowledge(t.db, tid, dir);
    expect(r.failures).toEqual([]);
    const hit = (await searchKnowledge(t.db, tid, 'backflow testing'))[0]!;
    expect(hit).toMatchObject({ file: 'flyer.pdf', headingPath: 'Flyer > Page 1' });
  });

  it.skipIf(!haveShared)('finds the CFPB Loan Estimate by its lender and its rate, and reports scanned PDFs', async () => {
    const tid = await insertTenant(t.db, 'pdfreal', '+14165550301');
    const dir = mkdtempSync(join(tmpdir(), 'aios-pdf-real-'));
    for (const f of ['CFPB_Loan_Estimate.pdf', 'CFPB_Closing_Disclosure.pdf', 'HUD1_Settlement_Statement.pdf', 'lending_package_w2.pdf']) copyFileSync(join(MORTGAGE, f), join(dir, f));
    const r = await syncKnowledge(t.db, tid, dir);
    expect(r.stats.added).toBe(3);
    expect(r.failures).toEqual([{ file: 'lending_package_w2.pdf', reason: expect.stringMatching(/no extractable text.*OCR/) }]);
    // Both CFPB samples name the lender Ficus Bank; only the Loan Estimate has the 3.875% rate.
    const ficus = await searchKnowledge(t.db, tid, 'Ficus Bank', { limit: 10 });
    expect(ficus.map((h) => h.file)).toContain('CFPB_Loan_Estimate.pdf');
    expect(ficus.find((h) => h.file === 'CFPB_Loan_Estimate.pdf')!.excerpt).toMatch(/Ficus Bank/);
    const rate = await searchKnowledge(t.db, tid, '3.875');
    expect(rate[0]?.file).toBe('CFPB_Loan_Estimate.pdf');
    expect(rate[0]?.headingPath).toMatch(/^CFPB Loan Estimate > Page \d+$/);
  });
});
