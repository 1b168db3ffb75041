import type { Resvg as ResvgT } from '@resvg/resvg-js';
import { lazyModule } from '../../core/lazy-module.js';

/** resvg (a native renderer), loaded at the first chart. */
const loadResvg = lazyModule<{ Resvg: typeof ResvgT }>('@resvg/resvg-js');
import { escapeXml } from '../../connection/twilio/webhook-forms.js';

/** One bar: a label under it (e.g. `Nov 23`) and its value, hours. */
export interface ChartBar {
  label: string;
  hours: number;
}

/** Size of the chart, CSS pixels (the PNG is rendered at twice this for sharp phone screens). */
export const CHART_WIDTH = 520;
export const CHART_HEIGHT = 220;

const fmt = (h: number) => (h >= 10 ? String(Math.round(h)) : String(Math.round(h * 10) / 10));

/**
 * An SVG bar chart of hours saved per week, drawn by us (no chart library): one bar per week with
 * its value above and its label below, the last bar (last week) in the accent colour; with no
 * hours at all, a line saying so (`empty`; other series than hours pass their own words).
 */
export function hoursChartSvg(bars: ChartBar[], title: string, empty = 'No hours saved in these weeks yet'): string {
  const W = CHART_WIDTH, H = CHART_HEIGHT, top = 46, bottom = 28, left = 12, right = 12;
  const max = Math.max(1, ...bars.map((b) => b.hours));
  const slot = (W - left - right) / Math.max(1, bars.length);
  const barW = Math.min(44, slot * 0.62);
  const plotH = H - top - bottom;
  const parts = bars.map((b, i) => {
    const h = Math.max(b.hours > 0 ? 2 : 0, (b.hours / max) * plotH);
    const x = left + i * slot + (slot - barW) / 2;
    const y = top + plotH - h;
    const fill = i === bars.length - 1 ? '#2563eb' : '#93b4f5';
    return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" rx="3" fill="${fill}"/>`
      + `<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 5).toFixed(1)}" font-size="12" text-anchor="middle" fill="#1a1a1a">${fmt(b.hours)}</text>`
      + `<text x="${(x + barW / 2).toFixed(1)}" y="${H - 10}" font-size="11" text-anchor="middle" fill="#555">${escapeXml(b.label)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif">`
    + `<rect width="${W}" height="${H}" fill="#ffffff"/>`
    + `<text x="${left}" y="20" font-size="14" font-weight="bold" fill="#1a1a1a">${escapeXml(title)}</text>`
    + `<line x1="${left}" y1="${top + plotH + 0.5}" x2="${W - right}" y2="${top + plotH + 0.5}" stroke="#ccc"/>`
    + parts.join('')
    + (bars.every((b) => b.hours <= 0) ? `<text x="${W / 2}" y="${top + plotH / 2}" font-size="13" text-anchor="middle" fill="#555">${escapeXml(empty)}</text>` : '')
    + '</svg>';
}

/** Renders an SVG to PNG with resvg (system fonts; offline), at `scale` × its size. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const { Resvg } = loadResvg();
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' });
  return r.render().asPng();
}
