import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { api, type Target } from './client.js';
import { printTable } from './format.js';
import { AiosError, InputError } from '../core/errors.js';
import { AUDIT_QUESTIONS, type AuditAnswers, type AuditKey } from '../leverage/audit/questions.js';
import type { Blueprint } from '../leverage/audit/score.js';

interface Measured {
  values: Partial<Record<AuditKey, { value: number; basis: string }>>;
  unmeasured: string[];
  defaults: { name: string; values: Record<AuditKey, number> };
}
interface AuditView { id: string; blueprint: Blueprint; applied: Array<{ rank: number; playbookId: string; mode: string; why: string }> | null }

const usd = (x: number) => `$${Math.round(x).toLocaleString('en-US')}`;

/** Reads `--answers file.json`: an object of question keys to numbers. */
function readAnswers(path: string): AuditAnswers {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InputError(`cannot read answers from ${path}: ${(err as Error).message}`, { fix: 'Give a JSON file such as {"callsPerWeek": 40, "hourlyValue": 90}.' });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError(`${path} must hold a JSON object of answers`, { fix: `Keys: ${AUDIT_QUESTIONS.map((q) => q.key).join(', ')}.` });
  return parsed as AuditAnswers;
}

/** Asks each question on the terminal; the default shown is the measured value, else the answer given, else the assumed default. */
async function askAnswers(m: Measured, given: AuditAnswers): Promise<AuditAnswers> {
  if (!process.stdin.isTTY) throw new AiosError('bad_input', 'no terminal to ask the audit questions', { fix: 'Run `aios audit --answers answers.json --yes` (missing answers are measured or assumed).' });
  const { text, isCancel, intro, outro } = await import('@clack/prompts');
  intro('The audit: what to automate first');
  const answers: AuditAnswers = { ...given };
  for (const q of AUDIT_QUESTIONS) {
    const measured = m.values[q.key];
    const initial = measured?.value ?? given[q.key] ?? m.defaults.values[q.key];
    const hint = measured ? `measured from your history: ${measured.basis.replace(/^measured from your history: /, '')}` : given[q.key] !== undefined ? 'your answer' : `assumed: ${m.defaults.name}`;
    const v = await text({
      message: `${q.label} (${hint})`, initialValue: String(initial),
      validate: (x) => (x && Number.isFinite(Number(x)) && Number(x) >= 0 && Number(x) <= q.max ? undefined : `a number from 0 to ${q.max}`),
    });
    if (isCancel(v)) throw new AiosError('cancelled', 'audit cancelled; nothing was stored', { fix: 'Run `aios audit` again when ready.' });
    const n = Number(v);
    // Keeping a measured or assumed value is not an answer: the blueprint then says where it came from.
    if (!(measured && n === measured.value) && !(given[q.key] === undefined && !measured && n === m.defaults.values[q.key])) answers[q.key] = n;
  }
  outro('Scoring every playbook…');
  return answers;
}

/** GET of a document (Markdown or PDF) as bytes. */
async function download(t: Target, path: string): Promise<Buffer> {
  const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${t.token}` } });
  if (!res.ok) {
    const j = (await res.json().catch(() => ({}))) as { error?: string; message?: string; fix?: string };
    throw new AiosError(j.error ?? String(res.status), j.message ?? `HTTP ${res.status}`, { fix: j.fix ?? '' });
  }
  return Buffer.from(await res.arrayBuffer());
}

/** Prints the ranked blueprint as a table. */
function printBlueprint(b: Blueprint): void {
  printTable(b.ranked.map((r) => ({
    '#': r.rank, automation: r.title, impact_month: usd(r.impactPerMonth), hours_month: r.hoursPerMonth, effort: r.effort.score,
    status: r.available ? (r.effort.missingConnections.length ? `connect ${r.effort.missingConnections.join(', ')}` : 'ready') : 'not yet available',
  })), ['#', 'automation', 'impact_month', 'hours_month', 'effort', 'status'], { max: 40 });
  const src = b.inputs.map((i) => `${i.key}=${i.value} (${i.source})`).join(', ');
  process.stdout.write(`\ninputs: ${src}\n`);
  if (b.assumptions.length) process.stdout.write(`assumed (answer these to sharpen it): ${b.assumptions.length}\n${b.assumptions.map((a) => `  - ${a}`).join('\n')}\n`);
}

/**
 * `aios audit` (interactive: each question shows the measured value as its default; `--answers
 * file.json --yes` runs it without asking), printing the ranked blueprint and writing its Markdown
 * and PDF (AIOS_HOME/audits/<slug>/ or `--out`); `aios audit apply [--top N]` (the latest audit's
 * top playbooks to shadow first, in order); `aios audit results [--days N]` (shadow vs estimate).
 */
export function auditCommands(program: Command, target: () => Target): void {
  const audit = program.command('audit').description('the audit that decides what to automate first: run it, apply it, compare the shadow results');
  audit
    .command('run', { isDefault: true })
    .description('answer the questions (measured values prefilled), score every playbook, write the blueprint as Markdown and PDF')
    .option('--answers <file>', 'answers as JSON, e.g. {"callsPerWeek": 40, "hourlyValue": 90}')
    .option('--yes', 'do not ask: use the answers file, measured values and defaults')
    .option('--out <dir>', 'where to write the Markdown and PDF (default AIOS_HOME/audits/<business>)')
    .option('--json', 'print the audit as JSON')
    .action(async (o: { answers?: string; yes?: boolean; out?: string; json?: boolean }) => {
      const t = target();
      const given = o.answers ? readAnswers(o.answers) : {};
      const answers = o.yes ? given : await askAnswers((await api<{ inputs: Measured }>(t, 'GET', '/api/v1/audit/inputs')).inputs, given);
      const r = await api<{ audit: AuditView }>(t, 'POST', '/api/v1/audits', { answers });
      const dir = resolve(o.out ?? join(t.home, 'audits', t.slug));
      mkdirSync(dir, { recursive: true });
      const md = join(dir, `${r.audit.id}.md`);
      const pdf = join(dir, `${r.audit.id}.pdf`);
      writeFileSync(md, await download(t, `/api/v1/audits/${encodeURIComponent(r.audit.id)}.md`));
      writeFileSync(pdf, await download(t, `/api/v1/audits/${encodeURIComponent(r.audit.id)}.pdf`));
      if (o.json) return void process.stdout.write(JSON.stringify({ ...r.audit, files: { markdown: md, pdf } }, null, 2) + '\n');
      process.stdout.write(`audit ${r.audit.id}: highest impact per effort first\n\n`);
      printBlueprint(r.audit.blueprint);
      process.stdout.write(`\nblueprint: ${md}\n           ${pdf}\napply the top 3 (shadow first, nothing is sent): aios audit apply\n`);
    });
  audit
    .command('apply')
    .description('switch the top playbooks of the latest audit on in shadow first, in order (nothing is sent)')
    .option('--top <n>', 'how many of the ranked automations', '3')
    .option('--id <auditId>', 'an audit other than the latest')
    .action(async (o: { top: string; id?: string }) => {
      const t = target();
      const id = o.id ?? (await api<{ audit: AuditView | null }>(t, 'GET', '/api/v1/audits/latest')).audit?.id;
      if (!id) throw new AiosError('not_found', 'no audit to apply', { fix: 'Run one first: aios audit' });
      const r = await api<{ audit: AuditView }>(t, 'POST', `/api/v1/audits/${encodeURIComponent(id)}/apply`, { top: Number(o.top) });
      printTable((r.audit.applied ?? []).map((a) => ({ '#': a.rank, playbook: a.playbookId, mode: a.mode, why: a.why })), ['#', 'playbook', 'mode', 'why'], { max: 90 });
      process.stdout.write(`\ncompare later: aios audit results\n`);
    });
  audit
    .command('results')
    .description('shadow results of the applied playbooks against the estimate (replayed now; nothing is sent)')
    .option('--days <n>', 'replay window in days', '30')
    .option('--id <auditId>', 'an audit other than the latest')
    .option('--json', 'machine-readable output')
    .action(async (o: { days: string; id?: string; json?: boolean }) => {
      const t = target();
      const id = o.id ?? (await api<{ audit: AuditView | null }>(t, 'GET', '/api/v1/audits/latest')).audit?.id;
      if (!id) throw new AiosError('not_found', 'no audit yet', { fix: 'Run one first: aios audit' });
      const r = await api<{ results: Array<{ rank: number; playbookId: string; mode: string; verdict: string }> }>(t, 'GET', `/api/v1/audits/${encodeURIComponent(id)}/results?days=${encodeURIComponent(o.days)}`);
      if (o.json) return void process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      for (const x of r.results) process.stdout.write(`${x.rank}. ${x.playbookId} (${x.mode})\n   ${x.verdict}\n`);
    });
}
