import type { Command } from 'commander';
import { api, type Target } from './client.js';
import { printTable } from './format.js';

/** A snooze argument: a length (`30m`, `4h`, `2d`, `1w`) goes as `for`, anything else as `until` (ISO 8601). */
export function snoozeBody(when: string): { for: string } | { until: string } {
  return /^\s*\d+(\.\d+)?\s*[a-z]+\s*$/i.test(when) ? { for: when.trim() } : { until: when.trim() };
}

/**
 * `aios signals [--status s] [--kind k]` (what AIOS noticed), `aios signals snooze <id> <2d | ISO time>`,
 * `aios signals dismiss <id> [--reason text]`.
 */
export function signalCommands(program: Command, target: () => Target): void {
  const signals = program.command('signals').description('what AIOS noticed; snooze or dismiss one');
  signals
    .command('list', { isDefault: true })
    .description('signals, newest first')
    .option('--status <s>', 'open | handling | snoozed | resolved | dismissed | all', 'all')
    .option('--kind <k>', 'only this kind, e.g. invoice_overdue')
    .option('--limit <n>', 'rows', '50')
    .option('--json', 'machine-readable output')
    .action(async (o: { status: string; kind?: string; limit: string; json?: boolean }) => {
      const q = new URLSearchParams({ status: o.status, limit: o.limit, ...(o.kind ? { kind: o.kind } : {}) });
      const r = await api<{ signals: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/signals?${q}`);
      printTable(r.signals, ['id', 'kind', 'subject', 'status', 'snoozed_until', 'occurrences', 'created_at'], { json: o.json });
    });
  signals
    .command('snooze <id> <when>')
    .description('hide a signal until later: a length (30m, 4h, 2d, 1w) or an ISO 8601 time; it comes back as open')
    .option('--json', 'machine-readable output')
    .action(async (id: string, when: string, o: { json?: boolean }) => {
      const r = await api<{ signal: { id: string; snoozed_until: string } }>(target(), 'POST', `/api/v1/signals/${encodeURIComponent(id)}/snooze`, snoozeBody(when));
      process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : `snoozed ${r.signal.id} until ${r.signal.snoozed_until}\n`);
    });
  signals
    .command('dismiss <id>')
    .description('set a signal aside for good (this occurrence is never raised again)')
    .option('--reason <text>', 'why (kept in the audit log)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, o: { reason?: string; json?: boolean }) => {
      const r = await api<{ signal: { id: string } }>(target(), 'POST', `/api/v1/signals/${encodeURIComponent(id)}/dismiss`, o.reason ? { reason: o.reason } : {});
      process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : `dismissed ${r.signal.id}\n`);
    });
}
