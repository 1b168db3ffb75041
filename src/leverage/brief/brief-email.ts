import { html } from 'hono/html';
import type { BriefContent } from './brief-content.js';

/** A brief as mail: subject, plain text and HTML. */
export interface BriefEmail {
  subject: string;
  text: string;
  html: string;
}

/** Options of {@link renderBriefEmail}. */
export interface RenderOptions {
  /** The dashboard's base URL (links become absolute), e.g. `https://aios.example`. */
  dashboardUrl: string;
  /** Content-ID of an inline chart image (`cid:` in the HTML), when the mail carries one. */
  chartCid?: string;
  /** The chart's text alternative. */
  chartAlt?: string;
}

const link = (base: string, href: string) => `${base.replace(/\/+$/, '')}${href}`;

/**
 * Renders a stored brief as plain text and HTML mail. Every text is escaped (names and subjects
 * are outside text); links point at the dashboard only.
 */
export function renderBriefEmail(b: BriefContent, opts: RenderOptions): BriefEmail {
  const base = opts.dashboardUrl;
  const text = [
    b.subject, '',
    ...b.parts.flatMap((p) => [p.title.toUpperCase(), p.summary, ...p.lines.map((l) => `- ${l.text}${l.href ? ` <${link(base, l.href)}>` : ''}`), '']),
    `Open the dashboard: ${link(base, '/')}`,
  ].join('\n');
  const body = html`<!doctype html><html><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:560px;margin:0 auto;padding:16px;color:#1a1a1a">
<h1 style="font-size:18px;margin:0 0 12px">${b.subject}</h1>
${opts.chartCid ? html`<p><img src="cid:${opts.chartCid}" alt="${opts.chartAlt ?? 'chart'}" width="520" style="max-width:100%;height:auto"></p>` : ''}
${b.parts.map((p) => html`<h2 style="font-size:15px;margin:16px 0 4px">${p.title}</h2>
<p style="margin:0 0 6px">${p.summary}</p>
${p.lines.length ? html`<ul style="margin:0;padding-left:18px">${p.lines.map((l) => html`<li>${l.href ? html`<a href="${link(base, l.href)}">${l.text}</a>` : l.text}</li>`)}</ul>` : ''}`)}
<p style="margin-top:20px"><a href="${link(base, '/')}">Open the dashboard</a></p>
</body></html>`;
  return { subject: b.subject, text, html: String(body) };
}
