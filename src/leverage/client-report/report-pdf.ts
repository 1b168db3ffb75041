import { drawable, PdfFlow } from '../../core/pdf-text.js';
import { hoursChartSvg, svgToPng } from '../brief/hours-chart.js';
import { addDays } from './iso-week.js';
import { dayLabel } from './report-summary.js';
import type { ReportContent } from './report-content.js';

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
  const w = new PdfFlow(doc, font, rgb);
  w.para(title, 18, bold);
  w.para(`${c.week} (${c.weekStart} to ${c.weekEnd})`, 10, font, 0, true);
  w.y -= 6;
  w.para(summary, 11);
  w.y -= 8;
  w.para('Figures', 14, bold);
  for (const f of c.figures) {
    w.room(14);
    w.page.drawText(drawable(font, f.label), { x: w.left, y: w.y, size: 10, font });
    const text = drawable(bold, f.text);
    w.page.drawText(text, { x: w.left + w.width - bold.widthOfTextAtSize(text, 10), y: w.y, size: 10, font: bold });
    w.y -= 14;
  }
  if (!c.adData) w.para('No ad data imported for this week.', 10, font, 0, true);
  w.y -= 8;
  const img = await doc.embedPng(leadsChart(c).png);
  const h = (img.height / img.width) * w.width;
  w.room(h + 8);
  w.page.drawImage(img, { x: w.left, y: w.y - h, width: w.width, height: h });
  w.y -= h + 12;
  for (const s of c.sections) {
    w.para(s.title, 13, bold);
    for (const l of s.lines) w.para(l, 10, font, 10);
    w.y -= 4;
  }
  return doc.save({ useObjectStreams: false });
}
