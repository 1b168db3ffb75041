import { html } from 'hono/html';
import { dayLabel } from './report-summary.js';
import type { ReportContent } from './report-content.js';

/**
 * A client report as mail: subject, plain text and HTML (every text escaped: campaign names and
 * lead sources come from imports and forms). The PDF goes as an attachment beside it.
 */
export function renderReportEmail(c: ReportContent, summary: string): { subject: string; text: string; html: string } {
  const subject = `${c.business.name}: your weekly report, week of ${dayLabel(c.weekStart)}`;
  const text = [
    subject, '', summary, '',
    ...c.figures.map((f) => `${f.label}: ${f.text}`), '',
    ...c.sections.flatMap((s) => [`${s.title}`, ...s.lines.map((l) => `  - ${l}`), '']),
    'The full report is attached as a PDF.',
  ].join('\n');
  const body = html`<!doctype html><html><body style="font-family: Arial, sans-serif; color: #1a1a1a; max-width: 600px">
<h1 style="font-size: 20px">${subject}</h1>
<p>${summary}</p>
<table style="border-collapse: collapse">${c.figures.map((f) => html`<tr><td style="padding: 2px 12px 2px 0">${f.label}</td><td style="text-align: right"><strong>${f.text}</strong></td></tr>`)}</table>
${c.sections.map((s) => html`<h2 style="font-size: 16px">${s.title}</h2><ul>${s.lines.map((l) => html`<li>${l}</li>`)}</ul>`)}
<p>The full report is attached as a PDF.</p>
</body></html>`;
  return { subject, text, html: String(body) };
}
