import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../core/errors.js';

const ACCEPTED = new Set(['.pdf', '.png', '.jpg', '.jpeg']);

/** The files named on the command line; folders give their PDFs and images (not recursive, sorted). */
export function collectFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const full = resolve(p);
    if (!existsSync(full)) throw new InputError(`${p}: no such file or folder`, { fix: 'Name PDF or image files, or folders holding them.' });
    if (statSync(full).isDirectory()) out.push(...readdirSync(full).filter((f) => ACCEPTED.has(extname(f).toLowerCase())).sort().map((f) => join(full, f)));
    else out.push(full);
  }
  if (out.length === 0) throw new InputError('no PDF or image files found', { fix: 'Name PDF, PNG or JPEG files, or folders holding them.' });
  return out;
}

/**
 * `aios docs check <file-or-folder…> [--checklist purchase] [--as-of YYYY-MM-DD] [--borrower NAME…]
 * [--markdown out.md] [--pdf out.pdf] [--no-ocr]`: reads and checks a package on this machine
 * (offline, no server, nothing stored) and prints the exception report. Exit code 0 when ready,
 * 3 when exceptions are open. `--checklist` takes a shipped id or a checklist YAML file.
 */
export function docsCommands(program: Command): void {
  const docs = program.command('docs').description('document quality control for loan packages');
  docs.command('check <paths...>')
    .description('read PDFs and images (split, OCR, classify, extract), check them against a checklist, print the exception report')
    .option('--checklist <id-or-file>', 'checklist id (shipped: purchase) or a checklist YAML file', 'purchase')
    .option('--as-of <date>', 'date freshness is measured to (YYYY-MM-DD; default today)')
    .option('--borrower <name...>', 'borrower names (default: the name most documents carry)')
    .option('--markdown <file>', 'also write the report as Markdown')
    .option('--pdf <file>', 'also write the report as PDF')
    .option('--no-ocr', 'do not OCR scanned pages (they are listed as unreadable)')
    .option('--json', 'print the report as JSON')
    .action(async (paths: string[], o: { checklist: string; asOf?: string; borrower?: string[]; markdown?: string; pdf?: string; ocr: boolean; json?: boolean }) => {
      const { loadChecklists, parseChecklist } = await import('../autonomy/document-qc/checklist.js');
      const { checkFiles } = await import('../autonomy/document-qc/check-files.js');
      const { reportMarkdown, reportPdf, verdict } = await import('../autonomy/document-qc/report.js');
      const { createOcr } = await import('../knowledge/documents/index.js');
      const asOf = o.asOf ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new InputError(`--as-of ${asOf} is not a date`, { fix: 'Write it as YYYY-MM-DD.' });
      const checklist = /\.ya?ml$/i.test(o.checklist) ? parseChecklist(readFileSync(resolve(o.checklist), 'utf8'), resolve(o.checklist)) : loadChecklists().get(o.checklist);
      if (!checklist) throw new InputError(`no checklist "${o.checklist}"`, { fix: `Use ${[...loadChecklists().keys()].join(', ')} or a checklist YAML file.` });
      const files = collectFiles(paths).map((f) => ({ name: basename(f), bytes: new Uint8Array(readFileSync(f)) }));
      const ocr = o.ocr ? await createOcr() : null;
      let report;
      try {
        ({ report } = await checkFiles(paths.length === 1 ? basename(resolve(paths[0]!)) : `${files.length} files`, files, checklist, { asOf, borrowers: o.borrower ?? [] }, ocr));
      } finally {
        await ocr?.close();
      }
      if (o.markdown) writeFileSync(o.markdown, reportMarkdown(report));
      if (o.pdf) writeFileSync(o.pdf, await reportPdf(report));
      process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : reportMarkdown(report));
      if (!o.json) process.stderr.write(`${verdict(report)}\n`);
      process.exitCode = report.exceptions.some((e) => e.status === 'open') ? 3 : 0;
    });
}
