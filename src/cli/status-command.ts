import type { Command } from 'commander';
import { api, type Target } from './client.js';
import { formatDuration } from '../leverage/speed-to-lead.js';

/** "3 handling, 1 open" from `{handling: 3, open: 1}`, in a fixed order; "none" when empty. */
export function countWords(counts: Record<string, number>, order: string[]): string {
  const keys = [...order.filter((k) => k in counts), ...Object.keys(counts).filter((k) => !order.includes(k)).sort()];
  const parts = keys.filter((k) => (counts[k] ?? 0) > 0).map((k) => `${counts[k]} ${k}`);
  return parts.length ? parts.join(', ') : 'none';
}

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** The status overview as lines a person reads (the `--json` form is the API's answer unchanged). */
export function statusLines(s: Record<string, any>): string[] {
  const l = s.ledger as { entries: number; minutesSaved: number; valueCents: number; aiCostMicros: number; medianResponseMs: number | null; smsSent?: number; smsSegments?: number; smsCostMicros?: number };
  const sms = s.sms === 'twilio' ? 'Twilio (texts are really sent)' : 'sandbox (texts are recorded, nothing is sent)';
  const pending = Number(s.pendingApprovals ?? 0);
  return [
    `${s.tenant.name} (${s.tenant.slug}, ${s.tenant.timeZone})`,
    `  SMS:        ${sms}`,
    `  approvals:  ${pending === 0 ? 'nothing waits for you' : `${pending} waiting for your decision — see: npx aios approvals`}`,
    `  signals:    ${countWords(s.signals ?? {}, ['open', 'handling', 'snoozed', 'resolved', 'dismissed'])}`,
    `  runs:       ${countWords(s.runs ?? {}, ['running', 'waiting', 'completed', 'failed', 'cancelled'])}`,
    `  ledger:     ${l.entries} ${l.entries === 1 ? 'entry' : 'entries'}, ${Math.round(l.minutesSaved)} min saved, value ${money(l.valueCents)}, ` +
      `median response ${l.medianResponseMs === null ? '–' : (l.medianResponseMs / 1000).toFixed(1) + ' s'}, AI cost $${(l.aiCostMicros / 1e6).toFixed(2)}`,
    ...(s.speedToLead ? [speedLine(s.speedToLead)] : []),
    `  texts:      ${l.smsSent ?? 0} sent in ${l.smsSegments ?? 0} SMS segment${l.smsSegments === 1 ? '' : 's'}, est. $${((l.smsCostMicros ?? 0) / 1e6).toFixed(2)}`,
  ];
}

/** "speed-to-lead: 3.2 h before AIOS (12 leads), 8.0 s with AIOS (40 leads)". */
function speedLine(v: { before: { count: number; p50Ms: number | null }; after: { count: number; p50Ms: number | null } }): string {
  const side = (x: { count: number; p50Ms: number | null }) => `${formatDuration(x.p50Ms)} (${x.count} lead${x.count === 1 ? '' : 's'})`;
  return `  speed:      median first reply to a lead ${side(v.before)} before AIOS, ${side(v.after)} with AIOS`;
}

/** `aios status`: signals, approvals, runs and ledger totals in words. */
export function statusCommand(program: Command, target: () => Target): void {
  program
    .command('status')
    .description('overview: signals, approvals, runs, ledger')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const s = await api<Record<string, any>>(target(), 'GET', '/api/v1/status');
      process.stdout.write(o.json ? JSON.stringify(s, null, 2) + '\n' : statusLines(s).join('\n') + '\n');
    });
}
