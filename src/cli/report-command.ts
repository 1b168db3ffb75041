import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { AiosError } from '../core/errors.js';
import { api, type Target } from './client.js';

interface Figure { label: string; text: string }
interface ReportView { id: string; business: { slug: string; name: string }; week: string; status: string; summary: string; summarySource: string; unchecked: Array<{ text: string }>; figures: Figure[]; emailTo: string | null; notSentReason: string | null }
interface ApproveResult { id: string; ok: boolean; status: string; message: string | null; fix: string | null }

/** A report in words: business, week, status, summary (unchecked numbers named), figures. */
export function reportWords(r: ReportView): string {
  const out = [`${r.business.name} (${r.business.slug}), ${r.week}: ${r.status} [${r.id}]`, `  ${r.summary}`];
  if (r.unchecked.length) out.push(`  UNCHECKED numbers (not in the figures; approving needs a confirmation in the dashboard): ${r.unchecked.map((u) => u.text).join(', ')}`);
  for (const f of r.figures) out.push(`  - ${f.label}: ${f.text}`);
  return out.join('\n') + '\n';
}

/** Uploads an export as the raw body of `POST /api/v1/client-reports/ads`. */
async function uploadAds(t: Target, file: string, business: string | undefined): Promise<Record<string, unknown>> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new AiosError('file_not_found', `cannot read ${file}`, { fix: 'Check the path of the exported CSV.' });
  }
  const q = new URLSearchParams({ name: basename(file) });
  if (business) q.set('business', business);
  const res = await fetch(`${t.url}/api/v1/client-reports/ads?${q}`, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'content-type': 'text/csv' }, body: new Uint8Array(bytes) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new AiosError(String(json.error ?? res.status), String(json.message ?? `HTTP ${res.status}`), { fix: String(json.fix ?? '') });
  return json;
}

/**
 * `aios report import-ads <file> [--business s]` and `aios report week [--week W] [--business s |
 * --all] [--send]`: import a Google Ads / Meta Ads export; make the week's client reports (one per
 * business, by the system) and print them; `--send` approves, as you, the ones whose summary has
 * no unchecked number and emails each to its owner with the PDF (the others wait for a
 * confirmation in the dashboard's Client reports page). `--all`: every business of this AIOS_HOME.
 * @param targetFor the target of a business by slug; `slugs` the businesses of this AIOS_HOME.
 */
export function reportCommand(program: Command, target: () => Target, targetFor: (slug: string) => Target, slugs: () => string[]): void {
  const report = program.command('report').description('client reports for agencies: import ad exports, make and send the weekly report per business');
  report
    .command('import-ads')
    .description('import a Google Ads or Meta Ads campaign export (CSV); importing again replaces the same rows')
    .argument('<file>', 'the exported CSV')
    .option('--business <slug>', 'the business the ads are for (default: the current one)')
    .option('--json', 'machine-readable output')
    .action(async (file: string, o: { business?: string; json?: boolean }) => {
      const r = await uploadAds(o.business ? targetFor(o.business) : target(), file, o.business);
      if (o.json) return void process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      const platform = r.platform === 'google_ads' ? 'Google Ads' : 'Meta Ads';
      process.stdout.write(`${platform} for ${r.business}: ${r.rows} rows (${r.campaigns} campaigns, ${r.starts} to ${r.ends}) — ${r.inserted} new, ${r.replaced} replaced${Number(r.totalsSkipped) ? `, ${r.totalsSkipped} totals rows left out` : ''}\n`);
    });
  report
    .command('week')
    .description('make the week\'s client report (once per business and week) and print it; --send: approve and email the ones without unchecked numbers')
    .option('--week <isoWeek>', 'e.g. 2026-W48 (default: the last complete week)')
    .option('--business <slug>', 'one business (default: the current one)')
    .option('--all', 'every business of this AIOS_HOME')
    .option('--send', 'approve (as you) and email each report whose summary has no unchecked number')
    .option('--json', 'machine-readable output')
    .action(async (o: { week?: string; business?: string; all?: boolean; send?: boolean; json?: boolean }) => {
      if (o.all && o.business) throw new AiosError('bad_input', '--all and --business together', { fix: 'Give one: --business <slug> or --all.' });
      const targets = o.all ? slugs().map(targetFor) : [o.business ? targetFor(o.business) : target()];
      const out: Array<{ report: ReportView; result: ApproveResult | null }> = [];
      for (const t of targets) {
        const made = await api<{ reports: ReportView[] }>(t, 'POST', '/api/v1/client-reports/make', { ...(o.week ? { week: o.week } : {}), businesses: [t.slug] });
        for (const r of made.reports) {
          let result: ApproveResult | null = null;
          if (o.send && !r.unchecked.length && (r.status === 'pending' || r.status === 'approved')) {
            result = (await api<{ results: ApproveResult[] }>(t, 'POST', '/api/v1/client-reports/approve', { ids: [r.id] })).results[0]!;
          }
          out.push({ report: result ? (await api<ReportView>(t, 'GET', `/api/v1/client-reports/${r.id}`)) : r, result });
        }
      }
      if (o.json) return void process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      for (const { report: r, result } of out) {
        process.stdout.write(reportWords(r));
        if (result) process.stdout.write(`  → ${result.status}${r.emailTo ? ` to ${r.emailTo}` : ''}${result.message ? `: ${result.message}` : ''}\n`);
        else if (o.send && r.unchecked.length) process.stdout.write('  → not sent: confirm its unchecked numbers in the dashboard (Client reports)\n');
      }
    });
}
