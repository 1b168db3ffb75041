import type { Command } from 'commander';
import { api, type Target } from './client.js';
import { printTable } from './format.js';

const money = (cents: unknown, currency = 'USD') => (cents === null || cents === undefined ? '' : `${(Number(cents) / 100).toFixed(2)} ${currency}`);

/** `aios contacts [--q text]`, `aios deals`, `aios bookings`, `aios ledger`: the records the API already serves. */
export function recordCommands(program: Command, target: () => Target): void {
  program
    .command('contacts')
    .description('people AIOS knows (name, phone, email, where they came from)')
    .option('--q <text>', 'only contacts whose name, phone or email contains this text')
    .option('--limit <n>', 'rows', '50')
    .option('--json', 'machine-readable output')
    .action(async (o: { q?: string; limit: string; json?: boolean }) => {
      const r = await api<{ contacts: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/contacts?limit=${encodeURIComponent(o.limit)}${o.q ? `&q=${encodeURIComponent(o.q)}` : ''}`);
      const rows = r.contacts.map((c) => ({ ...c, 'opted out': c.opted_out_at ? 'yes' : '' }));
      printTable(o.json ? r.contacts : rows, ['id', 'name', 'phone', 'email', 'source', 'opted out', 'created_at'], { json: o.json });
    });

  program
    .command('deals')
    .description('open and past deals: stage, value, last activity')
    .option('--limit <n>', 'rows', '50')
    .option('--json', 'machine-readable output')
    .action(async (o: { limit: string; json?: boolean }) => {
      const r = await api<{ deals: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/deals?limit=${encodeURIComponent(o.limit)}`);
      const rows = r.deals.map((d) => ({ ...d, value: money(d.value_cents, String(d.currency ?? 'USD')) }));
      printTable(o.json ? r.deals : rows, ['id', 'title', 'stage', 'value', 'source', 'last_activity_at'], { json: o.json });
    });

  const bookings = program
    .command('bookings')
    .description('upcoming appointments (booked or confirmed), in the business\'s local time')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const r = await api<{ bookings: Array<Record<string, unknown>> }>(target(), 'GET', '/api/v1/bookings');
      printTable(r.bookings, ['id', 'label', 'status', 'name', 'address', 'need'], { json: o.json });
    });
  for (const [name, path, what] of [['done', 'done', 'the job is done: deal done, ledger, review request follows'], ['no-show', 'no-show', 'the customer did not show up (no review request)'], ['cancel', 'cancel', 'cancel it: calendar event cancelled, customer texted']] as const) {
    bookings
      .command(`${name} <id>`)
      .description(what)
      .action(async (id: string) => {
        await api(target(), 'POST', `/api/v1/bookings/${encodeURIComponent(id)}/${path}`, {});
        process.stdout.write(`booking ${id}: ${name} sent to its appointment run\n`);
      });
  }

  program
    .command('ledger')
    .description('what AIOS did and what it was worth (totals, then entries)')
    .option('--limit <n>', 'rows', '50')
    .option('--json', 'machine-readable output')
    .action(async (o: { limit: string; json?: boolean }) => {
      const r = await api<{ totals: Record<string, number | null>; entries: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/ledger?limit=${encodeURIComponent(o.limit)}`);
      if (o.json) return void process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      const t = r.totals;
      process.stdout.write(
        `${t.entries} entries, ${Math.round(Number(t.minutesSaved))} min saved, value ${money(t.valueCents)}, AI cost $${(Number(t.aiCostMicros) / 1e6).toFixed(2)}, ` +
          `median response ${t.medianResponseMs === null ? '–' : (Number(t.medianResponseMs) / 1000).toFixed(1) + ' s'}\n\n`,
      );
      const rows = r.entries.map((e) => ({ ...e, minutes: e.minutes_saved, value: money(e.value_cents), response: e.response_ms === null ? '' : `${(Number(e.response_ms) / 1000).toFixed(1)} s` }));
      printTable(rows, ['category', 'minutes', 'value', 'response', 'note', 'created_at']);
    });
}
