import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AiosError } from '../core/errors.js';
import { api, type Target } from './client.js';
import { printTable } from './format.js';

/**
 * `aios proposal <deal id> [--notes text]` (draft a proposal; it is always sent only after your
 * approval), `aios proposals [--deal id]`, `aios proposal-pdf <proposal id> <file>`.
 */
export function proposalCommands(program: Command, target: () => Target): void {
  program
    .command('proposal <dealId>')
    .description("draft a proposal for a deal from its notes, the customer's messages and your price list (sent only after your approval)")
    .option('--notes <text>', 'what to quote, in your words (e.g. "also the faucet")')
    .action(async (dealId: string, o: { notes?: string }) => {
      const r = await api<{ runId: string | null }>(target(), 'POST', `/api/v1/deals/${encodeURIComponent(dealId)}/proposal`, o.notes ? { notes: o.notes } : {});
      process.stdout.write(`proposal requested; it will wait for your approval (\`aios approvals\`); follow run ${r.runId ?? '(none)'} with \`aios runs\`\n`);
    });

  program
    .command('proposals')
    .description('proposals drafted for deals: version, status, total')
    .option('--deal <dealId>', 'only this deal')
    .option('--json', 'machine-readable output')
    .action(async (o: { deal?: string; json?: boolean }) => {
      const r = await api<{ proposals: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/proposals${o.deal ? `?deal=${encodeURIComponent(o.deal)}` : ''}`);
      const rows = r.proposals.map((p) => ({ ...p, total: `${(Number(p.total_cents) / 100).toFixed(2)} ${String(p.currency)}`, unpriced: Array.isArray(p.unpriced) ? p.unpriced.length : 0 }));
      printTable(rows, ['id', 'deal_id', 'version', 'status', 'total', 'unpriced', 'recipient', 'sent_at'], { json: o.json });
    });

  program
    .command('proposal-pdf <proposalId> <file>')
    .description("save a proposal's PDF to a file")
    .action(async (proposalId: string, file: string) => {
      const t = target();
      const res = await fetch(`${t.url}/api/v1/proposals/${encodeURIComponent(proposalId)}/pdf`, { headers: { authorization: `Bearer ${t.token}` } });
      if (!res.ok) throw new AiosError('not_found', `proposal ${proposalId}: HTTP ${res.status}`, { fix: 'List proposals with `aios proposals`.' });
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      process.stdout.write(`saved ${file}\n`);
    });
}
