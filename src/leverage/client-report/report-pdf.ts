import type { PDFFont, PDFPage } from 'pdf-lib';
import { drawable, wrap } from '../../core/pdf-text.js';
import { hoursChartSvg, svgToPng } from '../brief/hours-chart.js';
import { addDays } from './iso-week.js';
import { dayLabel } from './report-summary.js';
import type { ReportContent } from './report-content.js';

const PAGE = { w: 612, h: 792, margin: 54 };
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** The chart of a report: leads per day of its week, as a PNG (through resvg), with its text alternative. */
export function leadsChart(c: ReportContent): { png: Buffer; alt: string } {
  const bars = c.leadsPerDay.map((n, i) => ({ label: `${WEEKDAYS[i]} ${Number(addDays(c.weekStart, i).slice(8, 10))}`, hours: n }));
  const svg = hoursChartSvg(bars, `Leads per day, week of ${dayLabel(c.weekStart)}`, 'No new leads this week');
  return { png: svgToPng(svg), alt: `Leads per day: ${bars.map((b) => `${b.label} ${b.hours}`).join(', ')}` };
}

/**
 * The client report as a PDF (pdf-lib, built-in Helvetica: no font file, no network): title and
 * week, the summary, the figures table, the leads chart and each section's lines.
 */
export async function clientReportPdf(c: ReportContent, summary: string): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const title = `${c.business.name}: weekly report, ${dayLabel(c.weekStart)} to ${dayLabel(c.weekEnd)}`;
  doc.setTitle(drawable(font, title));
  doc.setProducer('AIOS');
  const width = PAGE.w - 2 * PAGE.margin;
  let page: PDFPage = doc.addPage([PAGE.w, PAGE.h]);
  let y = PAGE.h - PAGE.margin;
  const room = (h: number) => {
    if (y - h < PAGE.margin) {
      page = doc.addPage([PAGE.w, PAGE.h]);
      y = PAGE.h - PAGE.margin;
    }
  };
  const para = (s: string, size = 10, f: PDFFont = font, indent = 0, gray = false) => {
    for (const l of wrap(f, drawable(f, s), size, width - indent)) {
      room(size + 4);
      page.drawText(l, { x: PAGE.margin + indent, y, size, font: f, color: gray ? rgb(0.4, 0.4, 0.4) : rgb(0, 0, 0) });
      y -= size + 4;
    }
  };
  para(title, 18, bold);
  para(`${c.week} (${c.weekStart} to ${c.weekEnd})`, 10, font, 0, true);
  y -= 6;
  para(summary, 11);
  y -= 8;
  para('Figures', 14, bold);
  for (const f of c.figures) {
    room(14);
    page.drawText(drawable(font, f.label), { x: PAGE.margin, y, size: 10, font });
    const text = drawable(bold, f.text);
    page.drawText(text, { x: PAGE.margin + width - bold.widthOfTextAtSize(text, 10), y, size: 10, font: bold });
    y -= 14;
  }
  if (!c.adData) para('No ad data imported for this week.', 10, font, 0, true);
  y -= 8;
  const chart = leadsChart(c);
  const img = await doc.embedPng(chart.png);
  const h = (img.height / img.width) * width;
  room(h + 8);
  page.drawImage(img, { x: PAGE.margin, y: y - h, width, height: h });
  y -= h + 12;
  for (const s of c.sections) {
    para(s.title, 13, bold);
    for (const l of s.lines) para(l, 10, font, 10);
    y -= 4;
  }
  return doc.save({ useObjectStreams: false });
}
