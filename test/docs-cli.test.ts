import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MORTGAGE_DIR, mortgageFile } from './support/mortgage-data.js';

const aios = (args: string[]) => spawnSync(process.execPath, [join(process.cwd(), 'bin', 'aios.mjs'), ...args], { encoding: 'utf8', timeout: 60_000, cwd: tmpdir() });

describe('aios docs check', () => {
  it('prints the report of a text package, writes Markdown, and exits 3 while exceptions are open', () => {
    mortgageFile('CFPB_Loan_Estimate.pdf');
    const dir = mkdtempSync(join(tmpdir(), 'aios-docs-'));
    const checklist = join(dir, 'closing.yaml');
    writeFileSync(checklist, 'id: closing\nlabel: Closing\nitems:\n  - { id: le, label: Loan estimate, types: [loan_estimate], filled: true, must_name: borrower }\n  - { id: cd, label: Closing Disclosure, types: [closing_disclosure], filled: true }\nagree: [{ field: loanAmount }]\n');
    const r = aios(['docs', 'check', join(MORTGAGE_DIR, 'CFPB_Loan_Estimate.pdf'), join(MORTGAGE_DIR, 'CFPB_Closing_Disclosure.pdf'), '--checklist', checklist, '--as-of', '2013-02-20', '--no-ocr', '--markdown', join(dir, 'r.md')]);
    expect(r.stderr).toContain('Not ready: 1 open exception.');
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('**blank** (open): Closing Disclosure (CFPB\\_Closing\\_Disclosure.pdf pages 1–13) is a blank form');
    expect(r.stdout).toMatch(/Loan Estimate \| loanAmount: \$162,000; interestRate: 3\.875%; salePrice: \$180,000; lender: Ficus Bank/);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toBe(r.stdout);
  });

  it('a bad checklist file is an error naming the file and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aios-docs-'));
    writeFileSync(join(dir, 'bad.yaml'), 'id: bad\nlabel: Bad\nitems:\n  - { id: x, label: X, types: [passport] }\n');
    const r = aios(['docs', 'check', join(MORTGAGE_DIR, 'CFPB_Loan_Estimate.pdf'), '--checklist', join(dir, 'bad.yaml'), '--no-ocr']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'bad.yaml')}: items.0.types.0: must be one of:`);
  });
});
