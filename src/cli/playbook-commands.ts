import type { Command } from 'commander';
import { api, type Target } from './client.js';
import { printTable } from './format.js';
import { InputError } from '../core/errors.js';
import type { ShadowReport } from '../autonomy/shadow/shadow-report.js';

/**
 * `aios playbooks` (list), `aios playbooks enable|disable ID`, `aios playbooks set ID key=value…`
 * (written into tenant.yaml), `aios playbooks run ID --subject … [--data JSON]`, and
 * `aios shadow ID --since 30d` (what it would have done; nothing is sent or kept).
 */
export function playbookCommands(program: Command, target: () => Target): void {
  const pbs = program.command('playbooks').description('the jobs AIOS does: list, enable/disable, settings, run now');
  pbs
    .command('list', { isDefault: true })
    .description('playbooks with their settings and runs in the last 30 days')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const r = await api<{ playbooks: Array<Record<string, any>> }>(target(), 'GET', '/api/v1/playbooks');
      const rows = r.playbooks.map((p) => ({ id: p.id, version: p.version, enabled: p.enabled ? 'yes' : 'no', trigger: Object.values(p.trigger).join(''), runs_30d: p.runs30d.total, failed: p.runs30d.failed ?? 0, settings: settingsWords(p.settings) }));
      printTable(o.json ? r.playbooks : rows, ['id', 'version', 'enabled', 'trigger', 'runs_30d', 'failed', 'settings'], { json: o.json, max: 60 });
    });
  for (const verb of ['enable', 'disable'] as const) {
    pbs
      .command(`${verb} <id>`)
      .description(`${verb} a playbook (written into tenant.yaml)`)
      .action(async (id: string) => {
        const r = await api<{ playbook: { id: string; enabled: boolean } }>(target(), 'POST', `/api/v1/playbooks/${encodeURIComponent(id)}/${verb}`);
        process.stdout.write(`${r.playbook.id}: ${r.playbook.enabled ? 'enabled' : 'disabled'} (tenant.yaml updated)\n`);
      });
  }
  pbs
    .command('set <id> <assignments...>')
    .description('change settings, e.g. `aios playbooks set missed-call-text-back reply_wait_hours=24`')
    .action(async (id: string, assignments: string[]) => {
      const r = await api<{ playbook: { id: string; settings: Record<string, unknown> } }>(target(), 'PATCH', `/api/v1/playbooks/${encodeURIComponent(id)}/settings`, parseAssignments(assignments));
      process.stdout.write(`${r.playbook.id}: ${settingsWords(r.playbook.settings)} (tenant.yaml updated)\n`);
    });
  pbs
    .command('run <id>')
    .description('run a playbook now on a subject (a phone number, an email, an id) and data')
    .requiredOption('--subject <text>', 'who or what it is about')
    .option('--data <json>', 'the signal data the playbook reads, as JSON', '{}')
    .action(async (id: string, o: { subject: string; data: string }) => {
      const r = await api<{ runId: string }>(target(), 'POST', `/api/v1/playbooks/${encodeURIComponent(id)}/run`, { subject: o.subject, data: parseJsonObject(o.data) });
      process.stdout.write(`started ${r.runId}; follow it with \`aios runs ${r.runId}\`\n`);
    });

  program
    .command('shadow <id>')
    .description('replay a playbook over past events: what it would have sent, asked, changed — nothing is sent or kept')
    .option('--since <when>', 'window start: 30d, 12h, or an ISO date', '30d')
    .option('--until <when>', 'window end (default now)')
    .option('--limit <n>', 'at most this many past signals', '200')
    .option('--json', 'the whole report as JSON')
    .action(async (id: string, o: { since: string; until?: string; limit: string; json?: boolean }) => {
      const r = await api<{ shadow: ShadowReport }>(target(), 'POST', `/api/v1/playbooks/${encodeURIComponent(id)}/shadow`, { since: o.since, ...(o.until ? { until: o.until } : {}), limit: Number(o.limit) });
      process.stdout.write(o.json ? JSON.stringify(r.shadow, null, 2) + '\n' : shadowLines(r.shadow).join('\n') + '\n');
    });
}

/** `aios runs retry <id>`: retries a failed run from its failed step. */
export async function retryRunCommand(t: Target, runId: string): Promise<void> {
  const r = await api<{ runId: string; stepId: string | null; error: string | null }>(t, 'POST', `/api/v1/runs/${encodeURIComponent(runId)}/retry`);
  process.stdout.write(`retrying ${r.runId}${r.stepId ? ` from step ${r.stepId}` : ''}${r.error ? ` (last error: ${r.error})` : ''}; follow it with \`aios runs ${r.runId}\`\n`);
}

/** `key=value` pairs → settings: numbers, true/false, null and JSON are typed; anything else is a string. */
export function parseAssignments(items: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const i = item.indexOf('=');
    if (i <= 0) throw new InputError(`"${item}" is not key=value`, { fix: 'Write each setting as key=value, e.g. reply_wait_hours=24 enabled=false.' });
    const raw = item.slice(i + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[item.slice(0, i)] = value;
  }
  return out;
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new InputError('--data must be a JSON object', { fix: `Write it as JSON, e.g. --data '{"message": "Do you fix taps?"}'.` });
}

function settingsWords(settings: Record<string, unknown>): string {
  return Object.entries(settings).filter(([k]) => k !== 'enabled').map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
}

/** `2026-12-02 08:00` in the business's zone (falls back to UTC with a `Z` when the zone is unknown). */
function localTime(iso: string, timeZone: string | undefined): string {
  const d = new Date(iso);
  if (!timeZone) return `${iso.slice(0, 16).replace('T', ' ')}Z`;
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The shadow report in words, for people (times in the business's local time). */
export function shadowLines(r: ShadowReport): string[] {
  const top = r.runs.filter((x) => x.depth === 0);
  const failed = r.runs.filter((x) => x.status === 'failed');
  const lines = [
    `Shadow of ${r.playbook.title} (${r.playbook.id} v${r.playbook.version}) from ${localTime(r.since, r.timeZone).slice(0, 10)} to ${localTime(r.until, r.timeZone).slice(0, 10)} — nothing was sent or kept${r.timeZone ? ` (times in ${r.timeZone})` : ''}.`,
    `${r.signalsFound} past ${Object.values(r.trigger).join('')} signal${r.signalsFound === 1 ? '' : 's'}; ${top.length} replayed${r.runs.length > top.length ? ` (+${r.runs.length - top.length} runs they would have started)` : ''}${failed.length ? `; ${failed.length} failed` : ''}.`,
    `Would have saved ${round(r.minutesSaved)} min (ledger); at most ${round(r.minutesIfEveryRunCounts)} min if every run counts.`,
  ];
  const texts = r.wouldSend.filter((e) => e.kind !== 'owner.notify');
  if (texts.length) lines.push('', `Would have sent (${texts.length}):`, ...texts.map((e) => `  ${localTime(e.at, r.timeZone)}  ${e.channel} → ${e.recipient}: ${oneLine(e.text || JSON.stringify(e.detail))}`));
  if (r.wouldAskOwner.length) lines.push('', `Would have asked you first (${r.wouldAskOwner.length}):`, ...r.wouldAskOwner.map((a) => `  ${a.actionKind} → ${a.recipient ?? '-'}: ${oneLine(String((a.reasons as Array<{ detail?: string }>).map((x) => x.detail ?? '').join('; ')))}`));
  if (r.wouldChange.length) lines.push('', `Would have changed (${r.wouldChange.length}):`, ...r.wouldChange.map((c) => `  ${c.table} ${c.id} ${c.change}: ${Object.keys(c.fields).filter((f) => !['id', 'tenant_id', 'created_at'].includes(f)).map((f) => `${f}=${JSON.stringify(c.fields[f]![1])}`).join(' ').slice(0, 120)}`));
  if (r.wouldRaise.length) lines.push('', `Would have raised: ${r.wouldRaise.map((s) => `${s.kind} (${s.subject})`).join(', ')}`);
  if (failed.length) lines.push('', 'Failed:', ...failed.map((f) => `  ${f.subject}: ${f.error}`));
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `Note: ${n}`));
  return lines;
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 140 ? `${t.slice(0, 139)}…` : t;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
