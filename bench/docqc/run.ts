/**
 * `npm run bench:docqc` (issue 12): document QC on the shared mortgage set — pages per minute for
 * text PDFs and for scanned pages (OCR) separately, classification and field-extraction accuracy
 * against `truth.ts`, a whole package check, and peak RSS (the OCR worker runs in this process).
 * Prints Markdown tables. Fails when the shared data is missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPackage } from '../../src/autonomy/document-qc/checks.js';
import { loadChecklists } from '../../src/autonomy/document-qc/checklist.js';
import { sameName } from '../../src/autonomy/document-qc/checks.js';
import { createOcr, readPackage, type InputFile, type ReadDocument } from '../../src/knowledge/documents/index.js';
import { peakSampler } from '../lib/proc-mem.js';
import { printTable } from '../lib/stats.js';
import { TRUTH } from './truth.js';
import { sharedDataDir } from '../../test/support/shared-data.js';

const DIR = join(sharedDataDir() ?? join(process.cwd(), '..', 'shared', 'data'), 'mortgage');
if (!existsSync(DIR)) {
  console.error(`bench:docqc: shared mortgage data missing at ${DIR}`);
  process.exit(1);
}
const files: InputFile[] = Object.keys(TRUTH).map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(DIR, name))) }));
const scanned = new Set(Object.keys(TRUTH).filter((n) => n.startsWith('lending_package')));
const rss = peakSampler(() => process.memoryUsage().rss / 1048576, 100);

const t0 = performance.now();
const ocr = await createOcr();
const startMs = performance.now() - t0;

async function timed(list: InputFile[], rounds: number) {
  const start = performance.now();
  let read = await readPackage(list, ocr);
  for (let i = 1; i < rounds; i++) read = await readPackage(list, ocr);
  const ms = (performance.now() - start) / rounds;
  return { read, ms };
}
const text = await timed(files.filter((f) => !scanned.has(f.name)), 3);
const scan = await timed(files.filter((f) => scanned.has(f.name)), 1);
await ocr.close();

printTable('Throughput (2 CPUs shared; OCR worker started once, ' + Math.round(startMs) + ' ms)', ['source', 'files', 'pages', 'ms', 'pages/min'], [
  ['text layer (unpdf)', files.length - scanned.size, text.read.pageCounts.text, Math.round(text.ms), Math.round((text.read.pageCounts.text / text.ms) * 60_000)],
  ['scanned (tesseract.js OCR)', scanned.size, scan.read.pageCounts.ocr, Math.round(scan.ms), Math.round((scan.read.pageCounts.ocr / scan.ms) * 60_000)],
]);

const docs = [...text.read.documents, ...scan.read.documents];
const same = (field: string, a: string, b: string) => (['name', 'coName'].includes(field) ? sameName(a, b) : a.toLowerCase().replace(/[^a-z0-9.]/g, '') === b.toLowerCase().replace(/[^a-z0-9.]/g, ''));
const rows: Array<Array<string | number>> = [];
let split = 0, typed = 0, blanks = 0, expected = 0, correct = 0, extra = 0, wrong = 0, truthDocs = 0;
const misses: string[] = [];
for (const [file, truth] of Object.entries(TRUTH)) {
  const got = docs.filter((d) => d.file === file);
  for (const t of truth) {
    truthDocs++;
    const d: ReadDocument | undefined = got.find((g) => g.pages.join() === t.pages.join());
    if (d) split++;
    if (d?.type === t.type) typed++;
    if (d && d.blank === !!t.blank) blanks++;
    for (const [field, value] of Object.entries(t.fields)) {
      expected++;
      const v = d?.fields[field as keyof ReadDocument['fields']]?.value;
      if (v !== undefined && same(field, v, value)) correct++;
      else {
        if (v !== undefined) wrong++;
        misses.push(`${file} p${t.pages[0]} ${field}: expected ${value}, got ${v ?? '(none)'}`);
      }
    }
    if (d) for (const f of Object.keys(d.fields)) if (!(f in t.fields)) extra++;
  }
  rows.push([file, truth.length, got.length, got.map((g) => g.type).join(', ')]);
}
printTable('Documents found per file', ['file', 'expected', 'found', 'types'], rows);
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}% (${a}/${b})`;
printTable('Accuracy against truth.ts', ['measure', 'result'], [
  ['split (document pages match)', pct(split, truthDocs)],
  ['classification (type correct)', pct(typed, truthDocs)],
  ['blank forms recognised', pct(blanks, truthDocs)],
  ['field extraction (expected fields correct)', pct(correct, expected)],
  ['fields extracted with a wrong value', wrong],
  ['fields extracted beyond truth.ts (unscored)', extra],
]);
if (misses.length) console.log(`\nField misses:\n${misses.map((m) => `- ${m}`).join('\n')}`);

const purchase = loadChecklists().get('purchase')!;
const checkStart = performance.now();
const result = checkPackage({ documents: docs, unreadable: [], pageCounts: { text: 0, ocr: 0, none: 0 }, pageProblems: [], pages: [] }, purchase, { asOf: '2026-12-02', borrowers: ['John Stiles'] });
const kinds = new Map<string, number>();
for (const e of result.exceptions) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
printTable(`Whole set checked against the purchase checklist (${docs.length} documents, ${(performance.now() - checkStart).toFixed(1)} ms)`, ['exception', 'count'], [...kinds.entries()]);
printTable('Memory', ['measure', 'MiB'], [['peak RSS (process incl. OCR worker thread)', Math.round(rss.stop())]]);
