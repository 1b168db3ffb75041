import type { PDFFont, PDFPage } from 'pdf-lib';
import type { Blueprint } from './score.js';
import { drawable, wrap } from '../../core/pdf-text.js';

/** What the exported blueprint shows besides the blueprint itself. */
export interface BlueprintHeader {
  business: string;
  /** `YYYY-MM-DD`. */
  date: string;
  auditId: string;
}

const usd = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;
const sourceWord = { measured: 'measured', answered: 'answered', assumed: 'ASSUMED' } as const;

/** The blueprint as Markdown: the ranked table, each entry's reasoning, the inputs with their source, the assumptions. */
export function blueprintMarkdown(b: Blueprint, h: BlueprintHeader): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `# Automation blueprint: ${esc(h.business)}`, '',
    `Audit ${h.auditId}, ${h.date}. Highest impact per effort first. Available automations together (overlapping ones counted once): ${usd(b.totals.impactPerMonth)} a month, ${b.totals.hoursPerMonth} h a month.`, '',
    '| # | Automation | Impact / month | Hours / month | Effort | Status |', '|---|---|---|---|---|---|',
    ...b.ranked.map((r) => `| ${r.rank} | ${esc(r.title)} | ${usd(r.impactPerMonth)} | ${r.hoursPerMonth} | ${r.effort.score} | ${r.available ? (r.effort.missingConnections.length ? 'needs connecting' : 'ready') : 'not yet available'} |`),
    '',
  ];
  for (const r of b.ranked) {
    lines.push(`## ${r.rank}. ${esc(r.title)}`, '', r.saves, '', ...r.reasoning.map((s) => `- ${s}`));
    if (r.effort.setupSteps.length) lines.push('', `Setup: ${r.effort.setupSteps.join('; ')}.`);
    lines.push('');
  }
  lines.push('## Inputs', '', '| Input | Value | Source | Basis |', '|---|---|---|---|',
    ...b.inputs.map((i) => `| ${esc(i.label)} | ${i.value} | ${sourceWord[i.source]} | ${esc(i.basis)} |`), '');
  if (b.assumptions.length) lines.push('## Assumed (answer these to sharpen the estimate)', '', ...b.assumptions.map((a) => `- ${a}`), '');
  if (b.unmeasured.length) lines.push('## Not measured', '', ...b.unmeasured.map((a) => `- ${a}`), '');
  return lines.join('\n');
}

const PAGE = { w: 612, h: 792, margin: 54 };

/**
 * The blueprint as a PDF (pdf-lib, built-in Helvetica: no font file, no network): the ranked list
 * with impact, hours and effort, each entry's reasoning, then the inputs and what was assumed.
 * @returns the PDF bytes.
 */
export async function blueprintPdf(b: Blueprint, h: BlueprintHeader): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  doc.setTitle(drawable(font, `Automation blueprint: ${h.business}`));
  doc.setProducer('AIOS');
  const width = PAGE.w - 2 * PAGE.margin;
  let page: PDFPage = doc.addPage([PAGE.w, PAGE.h]);
  let y = PAGE.h - PAGE.margin;
  const need = (height: number) => {
    if (y - height < PAGE.margin) {
      page = doc.addPage([PAGE.w, PAGE.h]);
      y = PAGE.h - PAGE.margin;
    }
  };
  const at = (s: string, x: number, size = 10, f: PDFFont = font, gray = false) => page.drawText(drawable(f, s), { x, y, size, font: f, color: gray ? rgb(0.4, 0.4, 0.4) : rgb(0, 0, 0) });
  const para = (s: string, size = 10, f: PDFFont = font, indent = 0, gray = false) => {
    for (const l of wrap(f, drawable(f, s), size, width - indent)) {
      need(size + 4);
      at(l, PAGE.margin + indent, size, f, gray);
      y -= size + 4;
    }
  };

  para(`Automation blueprint: ${h.business}`, 18, bold);
  para(`Audit ${h.auditId} - ${h.date} - highest impact per effort first`, 10, font, 0, true);
  para(`Available automations together (overlapping ones counted once): ${usd(b.totals.impactPerMonth)} a month, ${b.totals.hoursPerMonth} h a month.`);
  y -= 10;
  const cols = { rank: PAGE.margin, title: PAGE.margin + 22, impact: PAGE.margin + 270, hours: PAGE.margin + 345, effort: PAGE.margin + 400, status: PAGE.margin + 440 };
  need(16);
  for (const [k, label] of [['rank', '#'], ['title', 'Automation'], ['impact', '$/month'], ['hours', 'h/month'], ['effort', 'Effort'], ['status', 'Status']] as const) at(label, cols[k], 10, bold);
  y -= 16;
  for (const r of b.ranked) {
    need(14);
    at(String(r.rank), cols.rank);
    at(r.title.length > 42 ? `${r.title.slice(0, 41)}.` : r.title, cols.title);
    at(usd(r.impactPerMonth), cols.impact);
    at(String(r.hoursPerMonth), cols.hours);
    at(String(r.effort.score), cols.effort);
    at(r.available ? (r.effort.missingConnections.length ? 'needs connecting' : 'ready') : 'not yet available', cols.status, 9, font, true);
    y -= 14;
  }
  y -= 12;
  for (const r of b.ranked) {
    need(40);
    para(`${r.rank}. ${r.title}: ${usd(r.impactPerMonth)} a month`, 12, bold);
    para(r.saves, 10, font, 0, true);
    for (const s of r.reasoning) para(`- ${s}`, 9, font, 8);
    y -= 8;
  }
  para('Inputs', 12, bold);
  for (const i of b.inputs) para(`${i.label}: ${i.value} (${sourceWord[i.source]}: ${i.basis})`, 9, font, 8);
  return doc.save({ useObjectStreams: false });
}
