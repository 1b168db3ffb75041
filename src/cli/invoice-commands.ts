import type { Command } from 'commander';
import { api, type Target } from './client.js';
import { printTable } from './format.js';

/** `aios invoices [--status unpaid] [--json]` and `aios invoices paid <invoice id>` (stops its reminders). */
export function invoiceCommands(program: Command, target: () => Target): void {
  const invoices = program
    .command('invoices')
    .description('invoices with what is owed and their chase; `aios invoices paid <id>` marks one paid')
    .option('--status <status>', 'unpaid | open | overdue | paid | void')
    .option('--json', 'machine-readable output')
    .action(async (o: { status?: string; json?: boolean }) => {
      const r = await api<{ invoices: Array<Record<string, any>> }>(target(), 'GET', `/api/v1/invoices${o.status ? `?status=${encodeURIComponent(o.status)}` : ''}`);
      const rows = r.invoices.map((i) => ({
        id: i.id, number: i.number, status: i.status, owed: `${(i.balanceCents / 100).toFixed(2)} ${i.currency}`, due: i.dueAt?.slice(0, 10) ?? '', customer: i.customerName ?? i.customerEmail ?? '',
        chase: i.chase ? `${i.chase.status}, ${i.chase.reminders} sent` : '',
      }));
      printTable(o.json ? r.invoices : rows, o.json ? [] : ['id', 'number', 'status', 'owed', 'due', 'customer', 'chase'], { json: o.json });
    });
  invoices
    .command('paid <invoiceId>')
    .description('mark an invoice paid (cash, cheque, transfer): its reminders stop')
    .action(async (invoiceId: string) => {
      const r = await api<{ invoiceId: string; chaseStopped: boolean; alreadyPaid: boolean }>(target(), 'POST', `/api/v1/invoices/${encodeURIComponent(invoiceId)}/paid`);
      process.stdout.write(`${r.invoiceId}: ${r.alreadyPaid ? 'was already paid' : 'marked paid'}${r.chaseStopped ? '; its reminders stop' : ''}\n`);
    });
}
