import type { Command } from 'commander';
import { api, type Target } from './client.js';
import { printTable } from './format.js';

/**
 * `aios conversations [--waiting]`, `aios reply <conversation id> <text…>` (the owner answers a
 * customer; it goes out through the policy gate), `aios review-opt-out <contact id> [--undo]`.
 */
export function conversationCommands(program: Command, target: () => Target): void {
  program
    .command('conversations')
    .description('conversations with customers; --waiting: only those handed to you')
    .option('--waiting', 'only conversations waiting for the owner')
    .option('--json', 'machine-readable output')
    .action(async (o: { waiting?: boolean; json?: boolean }) => {
      const r = await api<{ conversations: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/conversations${o.waiting ? '?state=waiting_for_owner' : ''}`);
      printTable(r.conversations, ['id', 'address', 'channel', 'state', 'handoff_code', 'waiting_since', 'last_message_at'], { json: o.json });
    });

  program
    .command('reply <conversationId> <text...>')
    .description("answer a customer's conversation as the business (sent through the policy gate)")
    .action(async (conversationId: string, text: string[]) => {
      const r = await api<{ runId: string | null }>(target(), 'POST', `/api/v1/conversations/${encodeURIComponent(conversationId)}/reply`, { body: text.join(' ') });
      process.stdout.write(`reply proposed; follow run ${r.runId ?? '(none)'} with \`aios runs\`\n`);
    });

  program
    .command('review-opt-out <contactId>')
    .description('never ask this customer for a review (--undo to allow it again)')
    .option('--undo', 'allow review requests again')
    .action(async (contactId: string, o: { undo?: boolean }) => {
      const r = await api<{ contact: { id: string; reviewOptOut: boolean } }>(target(), 'PATCH', `/api/v1/contacts/${encodeURIComponent(contactId)}`, { reviewOptOut: !o.undo });
      process.stdout.write(`${r.contact.id}: ${r.contact.reviewOptOut ? 'never asked for a review' : 'may be asked for a review'}\n`);
    });
}
