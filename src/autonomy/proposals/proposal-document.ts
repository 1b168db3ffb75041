import type { PDFFont, PDFPage } from 'pdf-lib';
import { drawable, wrap } from '../../core/pdf-text.js';
import { priceWithUnit } from '../../knowledge/price-table.js';
import { formatCents } from '../../knowledge/money.js';
import type { ProposalLineItem } from './tables.js';

/** Everything a proposal document shows. Amounts in cents. */
export interface ProposalContent {
  business: string;
  customerName: string | null;
  dealTitle: string;
  /** Proposal number within the deal (1, 2, …). */
  version: number;
  /** `YYYY-MM-DD` in the business's time zone. */
  date: string;
  intro: string;
  items: ProposalLineItem[];
  unpriced: string[];
  currency: string;
  signOff: string;
}

/** Sum of the line items, in cents. */
export function proposalTotal(items: readonly ProposalLineItem[]): number {
  return items.reduce((s, i) => s + i.totalCents, 0);
}

/** True when some line is a starting price ("from $2,400"): the total is then a minimum. */
function hasStartingPrice(items: readonly ProposalLineItem[]): boolean {
  return items.some((i) => i.unit !== null && /^(from|starting|starting at|à partir de)$/i.test(i.unit));
}

/** The total line, e.g. `Total: $338 CAD` or `Total (at least): $2,549 CAD`. */
export function totalLine(c: Pick<ProposalContent, 'items' | 'currency'>): string {
  return `Total${hasStartingPrice(c.items) ? ' (at least)' : ''}: ${formatCents(proposalTotal(c.items), c.currency)}`;
}

const UNPRICED_NOTE = 'These items have no price in our price list yet; they will be quoted by the owner and are not included in the total.';

/** The proposal as Markdown: intro, a table of priced lines with their source file, the total, unpriced items. */
export function proposalMarkdown(c: ProposalContent): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `# Proposal ${c.version}: ${esc(c.dealTitle)}`,
    '',
    `${c.business} — ${c.date}${c.customerName ? ` — for ${c.customerName}` : ''}`,
    '',
    c.intro,
    '',
  ];
  if (c.items.length) {
    lines.push('| Item | Qty | Price | Amount | Source |', '|---|---|---|---|---|');
    for (const i of c.items) lines.push(`| ${esc(i.description)} | ${i.quantity} | ${priceWithUnit(i.unitCents, null, i.unit)} | ${formatCents(i.totalCents)} | ${esc(i.file)} |`);
    lines.push('', `**${totalLine(c)}**`, '');
  } else {
    lines.push('No item of this request has a price in our price list yet.', '');
  }
  if (c.unpriced.length) {
    lines.push('## To be quoted by the owner', '', UNPRICED_NOTE, '', ...c.unpriced.map((u) => `- ${u}`), '');
  }
  lines.push(c.signOff, '');
  return lines.join('\n');
}

const PAGE = { w: 612, h: 792, margin: 54 };

/**
 * Renders the proposal as a PDF (pdf-lib, built-in Helvetica: no font file, no network): title,
 * intro, one row per line item (description, quantity, price, amount, source file), the total,
 * then the unpriced items. Several pages when needed.
 * @returns the PDF bytes.
 */
export async function proposalPdf(c: ProposalContent): Promise<Uint8Array> {
  // Loaded on first use: pdf-lib takes ~0.3-1.5 s to import, which start-up should not pay.
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  doc.setTitle(drawable(await doc.embedFont(StandardFonts.Helvetica), `Proposal ${c.version}: ${c.dealTitle}`));
  doc.setProducer('AIOS');
  doc.setCreationDate(new Date(`${c.date}T12:00:00Z`));
  doc.setModificationDate(new Date(`${c.date}T12:00:00Z`));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const width = PAGE.w - 2 * PAGE.margin;
  let page: PDFPage = doc.addPage([PAGE.w, PAGE.h]);
  let y = PAGE.h - PAGE.margin;
  const need = (h: number) => {
    if (y - h < PAGE.margin) {
      page = doc.addPage([PAGE.w, PAGE.h]);
      y = PAGE.h - PAGE.margin;
    }
  };
  const text = (s: string, x: number, opts: { size?: number; f?: PDFFont; gray?: boolean } = {}) =>
    page.drawText(drawable(opts.f ?? font, s), { x, y, size: opts.size ?? 10, font: opts.f ?? font, color: opts.gray ? rgb(0.4, 0.4, 0.4) : rgb(0, 0, 0) });
  const para = (s: string, size = 10, f: PDFFont = font) => {
    for (const l of wrap(f, drawable(f, s), size, width)) {
      need(size + 4);
      text(l, PAGE.margin, { size, f });
      y -= size + 4;
    }
  };

  para(`Proposal ${c.version}: ${c.dealTitle}`, 18, bold);
  y -= 4;
  para(`${c.business} - ${c.date}${c.customerName ? ` - for ${c.customerName}` : ''}`, 10);
  y -= 10;
  para(c.intro);
  y -= 12;

  const cols = { item: PAGE.margin, qty: PAGE.margin + 250, price: PAGE.margin + 285, amount: PAGE.margin + 400, source: PAGE.margin + 470 };
  if (c.items.length) {
    need(16);
    for (const [k, label] of [['item', 'Item'], ['qty', 'Qty'], ['price', 'Price'], ['amount', 'Amount'], ['source', 'Source']] as const) text(label, cols[k], { f: bold });
    y -= 16;
    for (const i of c.items) {
      const desc = wrap(font, drawable(font, i.description), 10, 240);
      need(14 * desc.length + 4);
      text(String(i.quantity), cols.qty);
      text(priceWithUnit(i.unitCents, null, i.unit), cols.price);
      text(formatCents(i.totalCents), cols.amount);
      text(i.file.length > 22 ? `…${i.file.slice(-21)}` : i.file, cols.source, { size: 8, gray: true });
      for (const l of desc) {
        text(l, cols.item);
        y -= 14;
      }
    }
    y -= 6;
    need(16);
    text(totalLine(c), cols.price - 60, { size: 12, f: bold });
    y -= 24;
  } else {
    para('No item of this request has a price in our price list yet.');
    y -= 8;
  }
  if (c.unpriced.length) {
    para('To be quoted by the owner', 12, bold);
    para(UNPRICED_NOTE, 9);
    for (const u of c.unpriced) para(`- ${u}`);
    y -= 8;
  }
  para(c.signOff);
  return doc.save({ useObjectStreams: false });
}
