import { z } from 'zod';
import type { ModelClient } from '../../ai/model-client.js';
import { withOfflineFallback } from '../../ai/offline.js';
import { figure, type ReportContent } from './report-content.js';

/** Longest summary kept, characters. */
export const SUMMARY_MAX_CHARS = 800;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `2026-11-23` → `Nov 23`. */
export const dayLabel = (ymd: string) => `${MONTHS[Number(ymd.slice(5, 7)) - 1]} ${Number(ymd.slice(8, 10))}`;

/** The summary written from the figures alone (offline, and whenever the model fails): every number is a figure. */
export function templateSummary(c: ReportContent): string {
  const t = (k: string) => figure(c, k)!.text;
  const n = (k: string) => figure(c, k)!.value ?? 0;
  const s = (k: string, one: string, many: string) => `${t(k)} ${n(k) === 1 ? one : many}`;
  const parts = [
    `In the week of ${dayLabel(c.weekStart)}, ${c.business.name} had ${s('leads', 'lead', 'leads')} and ${s('bookings', 'booking', 'bookings')}; AIOS sent ${s('reviewsRequested', 'review request', 'review requests')}.`,
    `AIOS saved ${t('hoursSaved')} and recovered ${t('moneyRecovered')}; ROI ${t('roi')}.`,
    c.adData
      ? `Ads cost ${t('adSpend')} for ${t('adClicks')} clicks and ${t('adConversions')} conversions (cost per lead ${t('costPerLead')}).`
      : 'No ad data imported for this week.',
  ];
  return parts.join(' ');
}

const ModelSummary = z.object({ summary: z.string().min(1).max(SUMMARY_MAX_CHARS) });

/**
 * The report's summary paragraph: with a model, written by it from the figures (campaign names
 * and lead sources come from outside — imports, forms — so they go as untrusted data); offline or
 * on any model failure, {@link templateSummary}. Either way the caller checks every number.
 */
export async function writeSummary(models: ModelClient | null, tenantId: string, c: ReportContent): Promise<{ summary: string; source: 'template' | 'model'; note: string | null }> {
  const figures = c.figures.map((f) => `${f.label}: ${f.text}`).join('\n');
  const outside = [
    c.leadsBySource.length ? `Lead sources: ${c.leadsBySource.map((l) => `${l.source} ${l.count}`).join(', ')}` : '',
    c.campaigns.length ? `Campaigns: ${c.campaigns.map((x) => x.campaign).join('; ')}` : '',
  ].filter(Boolean).join('\n');
  const r = await withOfflineFallback(models?.spec ? async () => {
    const res = await models.generateStructured({
      tenantId, purpose: 'client_report_summary', schema: ModelSummary, name: 'summary', maxOutputTokens: 400,
      system: `You write the summary paragraph of a weekly report that an agency sends to its client, ${c.business.name}.`,
      instructions: `Write "summary": 2 to 4 plain sentences for the business owner about the week of ${dayLabel(c.weekStart)} (${c.week}). Use ONLY these figures, written exactly as given; invent no number, no percentage and no comparison:\n${figures}${c.adData ? '' : '\nNo ad data was imported for this week: say so.'}`,
      untrusted: outside ? [{ label: 'report_names', text: outside }] : [],
    });
    return res.object.summary.replace(/\s+/g, ' ').trim();
  } : null, () => null);
  if (r.offline || !r.value) return { summary: templateSummary(c), source: 'template', note: r.offline ? `offline path (${r.reason})` : null };
  return { summary: r.value, source: 'model', note: null };
}
