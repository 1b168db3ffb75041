import { Command } from 'commander';
import { AiosError } from '../core/errors.js';
import { resolveTarget, api } from './client.js';
import { storeDefaultTenant, storedDefaultTenant, knownTenants } from './tenant-choice.js';
import { loadConfig } from '../core/config.js';
import { printTable, printCards, outsideFields } from './format.js';
import { statusCommand } from './status-command.js';
import { recordCommands } from './record-commands.js';
import { conversationCommands } from './conversation-commands.js';
import { proposalCommands } from './proposal-commands.js';
import { contentCommands } from './content-commands.js';
import { invoiceCommands } from './invoice-commands.js';
import { signalCommands } from './signal-commands.js';
import { emailCommands } from './email-commands.js';
import { simulateCommands } from './simulate-command.js';
import { mcpCommand } from './mcp-command.js';
import { registerConnectionCommands } from './connection-commands.js';
import { connectCommand } from './connect-command.js';
import { knowledgeCommands } from './knowledge-commands.js';
import { crawlCommand } from './crawl-command.js';
import { onboardCommand } from './onboard-command.js';
import { accessCommands } from './access-commands.js';
import { playbookCommands, retryRunCommand } from './playbook-commands.js';
import { auditCommands } from './audit-commands.js';
import { reportCommand } from './report-command.js';
import { briefCommand } from './brief-command.js';
import { docsCommands } from './docs-commands.js';
import { businessCommands } from './business-commands.js';

const program = new Command();
program.name('aios').description('AIOS — the AI operating system for owner-operated businesses').option('--tenant <slug>', 'business to act on (needed when there are several; see `aios use`)');

const target = () => resolveTarget(program.opts().tenant as string | undefined);

program
  .command('start')
  .description('run AIOS (embedded PostgreSQL unless DATABASE_URL is set)')
  .option('--no-work', 'serve HTTP only: runs are executed by `aios worker` processes on the same DATABASE_URL')
  .action(async (o: { work: boolean }) => (await import('./start-command.js')).startCommand({ work: o.work })); // loaded only to start: keeps every other command quick
program
  .command('worker')
  .description('execute runs from the shared queue (needs DATABASE_URL, the same as `aios start`); start as many as you like')
  .action(async () => (await import('./worker-command.js')).workerCommand());

program
  .command('use [slug]')
  .description('set the business the other commands act on (stored in AIOS_HOME/cli-default); without a slug, show it')
  .action((slug: string | undefined) => {
    const { home } = loadConfig();
    if (slug) storeDefaultTenant(home, slug);
    const current = storedDefaultTenant(home);
    process.stdout.write(`${current ? `default business: ${current}` : 'no default business'} (known: ${knownTenants(home).join(', ') || 'none'})\n`);
  });

statusCommand(program, target);
recordCommands(program, target);
conversationCommands(program, target);
proposalCommands(program, target);
contentCommands(program, target);
invoiceCommands(program, target);
signalCommands(program, target);
emailCommands(program, target);
playbookCommands(program, target);
auditCommands(program, target);
briefCommand(program, target);
reportCommand(program, target, (slug) => resolveTarget(slug), () => knownTenants(loadConfig().home));
docsCommands(program);

const listing = (name: string, path: string, key: string, cols: string[], desc: string) =>
  program
    .command(name)
    .description(desc)
    .option('--json', 'machine-readable output')
    .option('--limit <n>', 'rows', '50')
    .action(async (o: { json?: boolean; limit: string }) => {
      const r = await api<Record<string, Array<Record<string, unknown>>>>(target(), 'GET', `${path}?limit=${encodeURIComponent(o.limit)}`);
      printTable(r[key] ?? [], cols, { json: o.json });
    });

listing('outbox', '/api/v1/outbox', 'outbox', ['id', 'kind', 'channel', 'recipient', 'status', 'payload', 'created_at'], 'every external effect, sent or waiting');

program
  .command('runs [id] [runId]')
  .description('playbook runs, or one run with its steps; `aios runs retry ID` retries a failed run')
  .option('--json', 'machine-readable output')
  .action(async (id: string | undefined, runId: string | undefined, o: { json?: boolean }) => {
    if (id === 'retry' && runId) return retryRunCommand(target(), runId);
    if (!id) {
      const r = await api<{ runs: Array<Record<string, unknown>> }>(target(), 'GET', '/api/v1/runs');
      return printTable(r.runs, ['id', 'status', 'waiting_for', 'summary', 'started_at'], { json: o.json, max: 70 });
    }
    const r = await api<{ run: Record<string, unknown>; steps: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/runs/${encodeURIComponent(id)}`);
    if (o.json) return void process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    const waiting = r.run.status === 'waiting' ? r.steps.find((x) => x.status === 'waiting') : undefined;
    process.stdout.write(`${r.run.id}  ${r.run.status}${waiting ? `: ${String(waiting.detail)}` : r.run.waiting_for ? ` (waiting for ${r.run.waiting_for})` : ''}\n${r.run.summary ?? ''}\n${r.run.status === 'failed' ? `error: ${String(r.run.error ?? 'unknown')}\nretry it with \`aios runs retry ${String(r.run.id)}\`\n` : ''}\n`);
    printTable(r.steps, ['seq', 'step_id', 'status', 'detail', 'finished_at'], { max: 80 });
  });

const approvals = program.command('approvals').description('actions waiting for your decision');
approvals
  .command('list', { isDefault: true })
  .option('--json', 'machine-readable output')
  .option('--status <s>', 'pending | approved | rejected | expired | all', 'pending')
  .action(async (o: { json?: boolean; status: string }) => {
    const r = await api<{ approvals: Array<Record<string, any>> }>(target(), 'GET', `/api/v1/approvals?status=${encodeURIComponent(o.status)}`);
    if (o.json) return printTable(r.approvals, [], { json: true });
    printCards(
      r.approvals.map((a) => ({
        title: `${a.id}  ${a.action_kind}  ${a.status}`,
        fields: [
          ['to', a.recipient],
          ['text', a.edits?.body ?? a.proposal?.body],
          ['segments', a.segments ? `${a.segments.segments} ${a.segments.encoding}` : null],
          ['why', (a.reasons ?? []).map((x: { detail: string }) => x.detail).join('; ')],
          ...outsideFields(a.untrusted),
          ['decided', a.decided_at ? `${a.status} by ${a.decided_by} at ${a.decided_at}${a.reason ? ` — ${a.reason}` : ''}` : null],
        ] as Array<[string, unknown]>,
      })),
    );
  });
approvals
  .command('approve <id>')
  .description('approve; with --body, edit the text first')
  .option('--body <text>', 'edited message text')
  .option('--json', 'machine-readable output')
  .action(async (id: string, o: { body?: string; json?: boolean }) => {
    const r = await api<{ approval: Record<string, unknown> }>(target(), 'POST', `/api/v1/approvals/${encodeURIComponent(id)}/approve`, o.body !== undefined ? { body: o.body } : {});
    process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : `approved ${id}${o.body !== undefined ? ' with your edits' : ''}\n`);
  });
approvals
  .command('reject <id>')
  .requiredOption('--reason <text>', 'why (kept; can become knowledge)')
  .option('--json', 'machine-readable output')
  .action(async (id: string, o: { reason: string; json?: boolean }) => {
    const r = await api(target(), 'POST', `/api/v1/approvals/${encodeURIComponent(id)}/reject`, { reason: o.reason });
    process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : `rejected ${id}\n`);
  });

accessCommands(program, target);
simulateCommands(program, target);
mcpCommand(program, target);
registerConnectionCommands(program, { target });
connectCommand(program, target);
knowledgeCommands(program, target);
crawlCommand(program, target);
onboardCommand(program, target);
businessCommands(program, target);

// `aios runs | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' ? process.exit(0) : undefined));

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof AiosError) {
    process.stderr.write(`aios: ${err.describe()}\n`);
    process.exit(1);
  }
  // An unexpected error is a bug: one line, the stack only on request.
  process.stderr.write(`aios: ${err instanceof Error ? err.message : String(err)}\n  → ${process.env.AIOS_DEBUG ? (err as Error).stack : 'This is a bug in AIOS; run again with AIOS_DEBUG=1 for the details and report them.'}\n`);
  process.exit(1);
});
