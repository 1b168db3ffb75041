import type { PDFFont, PDFPage } from 'pdf-lib';
import { drawable, wrap } from '../../core/pdf-text.js';
import { documentType, isMoneyField, type FieldName } from '../../knowledge/documents/index.js';
import type { ExceptionStatus, QcException } from './exceptions.js';

/** One document as the report lists it. */
export interface ReportDocument {
  file: string;
  pages: number[];
  type: string;
  blank: boolean;
  fields: Partial<Record<FieldName, { value: string; page: number }>>;
}

/** An exception with its review state. */
export interface ReportException extends QcException {
  status: ExceptionStatus;
  /** Waiver reason or resolution note. */
  note: string | null;
}

/** Everything the exception report shows. */
export interface QcReport {
  packageName: string;
  checklist: { id: string; label: string };
  /** `YYYY-MM-DD` the package was checked against. */
  asOf: string;
  borrowers: string[];
  borrowersInferred: boolean;
  documents: ReportDocument[];
  exceptions: ReportException[];
}

/** A field value for people: money in dollars, rates with %. */
export function showField(field: FieldName, value: string): string {
  if (isMoneyField(field)) return `$${(Number(value) / 100).toLocaleString('en-US', { minimumFractionDigits: Number(value) % 100 ? 2 : 0 })}`;
  return field === 'interestRate' ? `${value}%` : value;
}

const typeLabel = (t: string) => documentType(t)?.label ?? 'Unknown type';
const pagesText = (p: number[]) => (p.length > 1 ? `pages ${p[0]}–${p.at(-1)}` : `page ${p[0]}`);
const openCount = (r: QcReport) => r.exceptions.filter((e) => e.status === 'open' || e.status === 'requested').length;

/** One-line verdict: ready to submit, or how many exceptions block it. */
export function verdict(r: QcReport): string {
  const open = openCount(r);
  return open === 0 ? 'Ready to submit: no open exceptions.' : `Not ready: ${open} open exception${open === 1 ? '' : 's'}.`;
}

/** The exception report as Markdown: verdict, exceptions with evidence, then the documents read. */
export function reportMarkdown(r: QcReport): string {
  const md = (s: string) => s.replace(/([\\`*_[\]|<>])/g, '\\$1');
  const lines = [
    `# Document check: ${md(r.packageName)}`, '',
    `Checklist: ${md(r.checklist.label)} · checked against ${r.asOf} · borrower${r.borrowers.length === 1 ? '' : 's'}: ${md(r.borrowers.join(', ') || 'unknown')}${r.borrowersInferred ? ' (taken from the documents)' : ''}`, '',
    `**${verdict(r)}**`, '', '## Exceptions', '',
  ];
  if (r.exceptions.length === 0) lines.push('None.', '');
  for (const e of r.exceptions) {
    lines.push(`- **${e.kind.replace(/_/g, ' ')}** (${e.status}${e.note ? `: ${md(e.note)}` : ''}): ${md(e.message)}`);
    for (const ev of e.evidence) lines.push(`  - ${md(ev.file)}${ev.page ? ` page ${ev.page}` : ''}${ev.seen ? `: “${md(ev.seen)}”` : ''}`);
  }
  lines.push('', '## Documents read', '', '| File | Pages | Type | Key fields |', '|---|---|---|---|');
  for (const d of r.documents) {
    const fields = Object.entries(d.fields).map(([k, v]) => `${k}: ${md(showField(k as FieldName, v!.value))}`).join('; ');
    lines.push(`| ${md(d.file)} | ${pagesText(d.pages)} | ${typeLabel(d.type)}${d.blank ? ' (blank)' : ''} | ${fields || '—'} |`);
  }
  return `${lines.join('\n')}\n`;
}

const PAGE = { w: 612, h: 792, margin: 54 };

/** The exception report as a PDF (pdf-lib, built-in Helvetica: no font file, no network). */
export async function reportPdf(r: QcReport): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  doc.setTitle(drawable(font, `Document check: ${r.packageName}`));
  doc.setProducer('AIOS');
  const width = PAGE.w - 2 * PAGE.margin;
  let page: PDFPage = doc.addPage([PAGE.w, PAGE.h]);
  let y = PAGE.h - PAGE.margin;
  const para = (s: string, size = 10, f: PDFFont = font, indent = 0, gray = false) => {
    for (const l of wrap(f, drawable(f, s), size, width - indent)) {
      if (y - size - 4 < PAGE.margin) {
        page = doc.addPage([PAGE.w, PAGE.h]);
        y = PAGE.h - PAGE.margin;
      }
      page.drawText(l, { x: PAGE.margin + indent, y, size, font: f, color: gray ? rgb(0.4, 0.4, 0.4) : rgb(0, 0, 0) });
      y -= size + 4;
    }
  };
  para(`Document check: ${r.packageName}`, 18, bold);
  para(`${r.checklist.label} - checked against ${r.asOf} - borrowers: ${r.borrowers.join(', ') || 'unknown'}${r.borrowersInferred ? ' (taken from the documents)' : ''}`, 10, font, 0, true);
  para(verdict(r), 12, bold);
  y -= 8;
  para('Exceptions', 14, bold);
  if (r.exceptions.length === 0) para('None.');
  for (const e of r.exceptions) {
    para(`${e.kind.replace(/_/g, ' ')} (${e.status}${e.note ? `: ${e.note}` : ''}): ${e.message}`, 10, font);
    for (const ev of e.evidence) para(`${ev.file}${ev.page ? ` page ${ev.page}` : ''}${ev.seen ? `: "${ev.seen}"` : ''}`, 9, font, 12, true);
    y -= 4;
  }
  y -= 8;
  para('Documents read', 14, bold);
  for (const d of r.documents) {
    para(`${d.file}, ${pagesText(d.pages)}: ${typeLabel(d.type)}${d.blank ? ' (blank)' : ''}`, 10, bold);
    const fields = Object.entries(d.fields).map(([k, v]) => `${k}: ${showField(k as FieldName, v!.value)}`).join('; ');
    if (fields) para(fields, 9, font, 12, true);
  }
  return doc.save({ useObjectStreams: false });
}
