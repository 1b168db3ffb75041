import type { Command } from 'commander';
import { api, type Target } from './client.js';
import { printTable } from './format.js';

const CATEGORIES = ['lead', 'customer_request', 'scheduling', 'billing', 'vendor', 'newsletter', 'spam', 'personal'];

/**
 * `aios emails [--category C]` (triaged mail: category, reason, who decided) and
 * `aios relabel <email id> <category>` (the owner's correction: a training example, and the
 * mailbox label follows).
 */
export function emailCommands(program: Command, target: () => Target): void {
  program
    .command('emails')
    .description('triaged email: category, reason and who decided (classifier, model, owner)')
    .option('--category <category>', `only one category (${CATEGORIES.join(', ')})`)
    .option('--limit <n>', 'how many (default 50)')
    .option('--json', 'machine-readable output')
    .action(async (o: { category?: string; limit?: string; json?: boolean }) => {
      const q = new URLSearchParams();
      if (o.category) q.set('category', o.category);
      if (o.limit) q.set('limit', o.limit);
      const r = await api<{ emails: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/emails${q.size ? `?${q}` : ''}`);
      printTable(r.emails, ['id', 'from', 'subject', 'category', 'source', 'reason', 'receivedAt'], { json: o.json });
    });

  program
    .command('relabel <emailId> <category>')
    .description(`correct a triaged email's category (${CATEGORIES.join(', ')}); AIOS learns from it`)
    .action(async (emailId: string, category: string) => {
      const r = await api<{ email: { id: string; category: string }; previous: string; changed: boolean; runId: string | null }>(target(), 'POST', `/api/v1/emails/${encodeURIComponent(emailId)}/category`, { category });
      process.stdout.write(r.changed ? `${r.email.id}: ${r.previous} → ${r.email.category}; learnt from it${r.runId ? `, mailbox label follows (run ${r.runId})` : ''}\n` : `${r.email.id} is already ${r.email.category}\n`);
    });
}
