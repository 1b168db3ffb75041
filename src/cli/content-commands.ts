import { readFileSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { AiosError, InputError } from '../core/errors.js';
import { api, type Target } from './client.js';
import { printTable } from './format.js';

const BINARY = new Set(['.pdf', '.docx']);
const PLATFORMS = ['linkedin', 'instagram', 'facebook', 'x', 'google_business'];

interface WeekJson {
  monday: string;
  timeZone: string;
  unfilled: number;
  leftOut: { platform: string; reason: string }[];
  posts: { id: string; platform: string; slotAt: string; status: string; text: string; failure: string | null; publishedUrl: string | null; needsImage: string | null; writer: string }[];
  ledger: { postsPlanned: number; published: number; edited: number; rejected: number; approvalMinutes: number; minutesSavedGross: number; minutesSavedNet: number };
}

function printWeek(w: WeekJson, json?: boolean): void {
  if (json) { process.stdout.write(`${JSON.stringify(w, null, 2)}\n`); return; }
  const when = (iso: string) => new Date(iso).toLocaleString('en-CA', { timeZone: w.timeZone, weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  process.stdout.write(`week of ${w.monday} (${w.timeZone}): ${w.posts.length} posts${w.unfilled ? `, ${w.unfilled} slot(s) without an idea (add sources)` : ''}\n`);
  printTable(w.posts.map((p) => ({ id: p.id, when: when(p.slotAt), platform: p.platform, status: p.needsImage && p.status === 'in_approval' ? 'needs an image' : p.status, text: p.text.replace(/\s+/g, ' ').slice(0, 70), result: p.publishedUrl ?? p.failure ?? '' })), ['id', 'when', 'platform', 'status', 'text', 'result']);
  if (w.leftOut.length) process.stdout.write(`left out (${w.leftOut.length}): ${w.leftOut.slice(0, 5).map((l) => `${l.platform}: ${l.reason}`).join('\n  ')}\n`);
  const l = w.ledger;
  process.stdout.write(`ledger: ${l.published}/${l.postsPlanned} published, ${l.edited} edited, ${l.rejected} rejected; approving took ${l.approvalMinutes} min; saved ${l.minutesSavedGross} min (${l.minutesSavedNet} net)\n`);
}

/**
 * `aios content add <file|url>` (a source into the content library), `aios content week [--week D]
 * [--draft]` (show a week, or draft it), `aios content approve|edit [--image URL]|reject`, and `aios content
 * export [--week D] --buffer out.csv --ics out.ics` (Buffer: one file per platform,
 * `out.<platform>.csv`).
 */
export function contentCommands(program: Command, target: () => Target): void {
  const content = program.command('content').description('the content engine: sources → a week of posts on five platforms → your approval → publication');
  content
    .command('add <fileOrUrl>')
    .description('add a long piece (Markdown, HTML, text or transcript, PDF, DOCX, or a web page\'s https URL) to the content library')
    .action(async (file: string) => {
      const isUrl = /^https?:\/\//i.test(file);
      const bytes = isUrl ? null : readFileSync(file);
      const body = !bytes ? { url: file } : BINARY.has(extname(file).toLowerCase()) ? { name: basename(file), base64: bytes.toString('base64') } : { name: basename(file), text: bytes.toString('utf8') };
      const r = await api<{ title: string; ideas: number; duplicate: boolean }>(target(), 'POST', '/api/v1/content/sources', body);
      process.stdout.write(r.duplicate ? `already in the library: "${r.title}" (${r.ideas} ideas)\n` : `added "${r.title}": ${r.ideas} ideas to post about; draft a week with \`aios content week --draft\`\n`);
    });
  content
    .command('week')
    .description('show the latest (or a given) week of posts; --draft drafts it first')
    .option('--week <date>', 'a date of the week, YYYY-MM-DD (default: the latest; with --draft, next week)')
    .option('--draft', 'draft the week: posts wait for your approval, then publish at their slots')
    .option('--json', 'machine-readable output')
    .action(async (o: { week?: string; draft?: boolean; json?: boolean }) => {
      const w = o.draft
        ? await api<WeekJson>(target(), 'POST', '/api/v1/content/weeks', o.week ? { week: o.week } : {})
        : await api<WeekJson>(target(), 'GET', `/api/v1/content/weeks/${encodeURIComponent(o.week ?? 'latest')}`);
      printWeek(w, o.json);
    });
  content
    .command('approve')
    .description('approve every post of the week still waiting')
    .requiredOption('--week <date>', 'a date of the week, YYYY-MM-DD')
    .action(async (o: { week: string }) => {
      const r = await api<{ message: string; results: { id: string; ok: boolean; message: string | null }[] }>(target(), 'POST', `/api/v1/content/weeks/${encodeURIComponent(o.week)}/approve`, {});
      process.stdout.write(`${r.message}\n${r.results.filter((x) => !x.ok).map((x) => `  ${x.id}: ${x.message}\n`).join('')}`);
    });
  content
    .command('edit <postId> [text]')
    .description('attach an image (--image) and/or edit one post\'s text and approve it (the platform rules and the voice are checked)')
    .option('--image <url>', 'the post\'s image, an https URL of a public host (Instagram posts need one before approval)')
    .action(async (postId: string, text: string | undefined, o: { image?: string }) => {
      if (!text && !o.image) throw new InputError('nothing to change', { fix: 'Give the new text, or --image https://… (or both).' });
      const id = encodeURIComponent(postId);
      if (o.image) {
        const r = await api<{ imageUrl: string }>(target(), 'POST', `/api/v1/content/posts/${id}/image`, { url: o.image });
        process.stdout.write(`attached ${r.imageUrl} to ${postId}\n`);
      }
      if (text) {
        await api(target(), 'POST', `/api/v1/content/posts/${id}/edit`, { text });
        process.stdout.write(`edited and approved ${postId}\n`);
      }
    });
  content
    .command('reject <postId>')
    .description('reject one post; the reason teaches the next week ("too long", "no hashtags", never say "…")')
    .requiredOption('--reason <text>', 'why')
    .action(async (postId: string, o: { reason: string }) => {
      await api(target(), 'POST', `/api/v1/content/posts/${encodeURIComponent(postId)}/reject`, { reason: o.reason });
      process.stdout.write(`rejected ${postId}\n`);
    });
  content
    .command('export')
    .description('export a week: --ics for a calendar, --buffer for Buffer\'s bulk upload (one CSV per platform)')
    .option('--week <date>', 'a date of the week, YYYY-MM-DD (default: the latest)')
    .option('--buffer <file>', 'Buffer CSV; written as <file without .csv>.<platform>.csv')
    .option('--ics <file>', 'iCalendar file of the schedule')
    .action(async (o: { week?: string; buffer?: string; ics?: string }) => {
      if (!o.buffer && !o.ics) throw new InputError('nothing to export', { fix: 'Give --buffer out.csv and/or --ics out.ics.' });
      const t = target();
      const w = await api<WeekJson>(t, 'GET', `/api/v1/content/weeks/${encodeURIComponent(o.week ?? 'latest')}`);
      const get = async (query: string) => {
        const res = await fetch(`${t.url}/api/v1/content/weeks/${w.monday}/export?${query}`, { headers: { authorization: `Bearer ${t.token}` } });
        if (!res.ok) throw new AiosError('export_failed', `export ${query}: HTTP ${res.status} ${await res.text()}`, { fix: 'Check the week with `aios content week`.' });
        return res.text();
      };
      if (o.ics) { writeFileSync(o.ics, await get('format=ics')); process.stdout.write(`wrote ${o.ics}\n`); }
      if (o.buffer) {
        for (const p of PLATFORMS.filter((x) => w.posts.some((post) => post.platform === x))) {
          const file = o.buffer.replace(/(\.csv)?$/i, `.${p}.csv`);
          writeFileSync(file, await get(`format=buffer&platform=${p}`));
          process.stdout.write(`wrote ${file}\n`);
        }
      }
    });
}
