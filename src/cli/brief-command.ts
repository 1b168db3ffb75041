import type { Command } from 'commander';
import { api, type Target } from './client.js';

interface BriefPartView { title: string; summary: string; lines: Array<{ text: string; href: string | null }> }
interface BriefView { kind: string; localDate: string; subject: string; parts: BriefPartView[]; emailed: boolean; sentAt: string | null; emailTo: string | null; notEmailedReason: string | null }
interface Schedule { timeZone: string; dailyAt: string; weeklyOn: string; email: boolean; to: string | null; cannotEmail: string | null }

/** A brief in words: subject, each section's sentence and items, and whether it was emailed. */
export function briefWords(b: BriefView, s?: Schedule): string {
  const out = [b.subject, ''];
  for (const p of b.parts) {
    out.push(`${p.title}: ${p.summary}`);
    for (const l of p.lines) out.push(`  - ${l.text}`);
  }
  out.push('', b.emailed ? `Emailed to ${b.emailTo} at ${b.sentAt}.` : `Not emailed${b.notEmailedReason ? `: ${b.notEmailedReason}` : ' yet'}.`);
  if (s && !b.emailed && s.cannotEmail) out.push(`(${s.cannotEmail})`);
  return out.join('\n') + '\n';
}

/**
 * `aios brief [--weekly] [--send] [--json]`: today's daily brief (or the weekly report) in words;
 * `--send` makes it now if it is not made yet and emails it unless it already was (once a day).
 */
export function briefCommand(program: Command, target: () => Target): void {
  program
    .command('brief')
    .description('the daily brief in words (what came in, what AIOS did, what waits, money at risk); --send: make and email it now (once a day); --weekly: the weekly report')
    .option('--weekly', 'the weekly report (the ledger, last week vs the week before)')
    .option('--send', 'make it now if it is not made yet, and email it unless it already was')
    .option('--json', 'machine-readable output')
    .action(async (o: { weekly?: boolean; send?: boolean; json?: boolean }) => {
      const kind = o.weekly ? 'weekly' : 'daily';
      if (o.send) {
        const r = await api<{ brief: BriefView }>(target(), 'POST', '/api/v1/brief/send', { kind });
        process.stdout.write(o.json ? JSON.stringify(r, null, 2) + '\n' : briefWords(r.brief));
        return;
      }
      const r = await api<{ brief: BriefView | null; schedule: Schedule }>(target(), 'GET', `/api/v1/brief?kind=${kind}`);
      if (o.json) return void process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      if (!r.brief) {
        const when = kind === 'daily' ? `every day at ${r.schedule.dailyAt}` : `on ${r.schedule.weeklyOn}s at ${r.schedule.dailyAt}`;
        process.stdout.write(`No ${kind === 'daily' ? 'brief' : 'weekly report'} yet: it is made ${when} (${r.schedule.timeZone}). Make one now: aios brief${o.weekly ? ' --weekly' : ''} --send\n`);
        return;
      }
      process.stdout.write(briefWords(r.brief, r.schedule));
    });
}
