import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AiosError } from '../core/errors.js';
import { loadConfig } from '../core/config.js';
import type { Target } from './client.js';
import { knownTenants } from './tenant-choice.js';
import { maxPagesArg } from './crawl-command.js';
import { createBusinessFile, slugOf } from './onboard-business.js';
import { connectIcs, connectImap, crawlSite, fetchChecklist, importCsvFile, importFolder, type Checklist } from './onboard-steps.js';

/** Flags of `aios onboard` (each step can be given here instead of answered). */
export interface OnboardFlags {
  contacts?: string;
  invoices?: string;
  website?: string;
  maxPages?: string;
  folder?: string;
  calendarIcs?: string;
  mailCredentials?: string;
  /** Non-interactive: take the flags, skip every other step. */
  yes?: boolean;
  json?: boolean;
}

/** What `aios onboard` did, step by step (also its `--json` output). */
export interface OnboardReport {
  business: string;
  done: Array<{ step: string; result: string }>;
  skipped: string[];
  checklist: Checklist;
  seconds: number;
}

const auditAvailable = () => existsSync(join(import.meta.dirname, 'audit-commands.ts')) || existsSync(join(import.meta.dirname, 'audit-commands.js'));

/** @clack/prompts, loaded on first use: every `aios` process (the server too) loads this module. */
const prompts = () => import('@clack/prompts');

/** Asks for text; empty or cancelled (Ctrl-C, Esc) = skip. */
async function ask(message: string, placeholder: string): Promise<string | null> {
  const p = await prompts();
  const v = await p.text({ message, placeholder });
  return p.isCancel(v) || !String(v ?? '').trim() ? null : String(v).trim();
}

/** Creates the first business (interactive only): asks, validates, writes tenant.yaml. */
async function createBusiness(home: string): Promise<void> {
  const p = await prompts();
  p.log.info('No business is set up in this AIOS folder yet. Let\'s create it (press Esc to stop).');
  const name = await ask('Business name', 'Ace Plumbing');
  if (!name) throw new AiosError('cancelled', 'no business created', { fix: 'Run `aios onboard` again when you are ready.' });
  const slug = (await ask(`Short name (letters, digits, dashes) [${slugOf(name)}]`, slugOf(name))) ?? slugOf(name);
  const phone = await ask('Business phone number (E.164, e.g. +14165550100)', '+14165550100');
  const timeZone = (await ask('Time zone [America/Toronto]', 'America/Toronto')) ?? 'America/Toronto';
  const ownerName = (await ask("Owner's name", 'Dana')) ?? 'Owner';
  const ownerEmail = (await ask("Owner's email (dashboard login)", 'dana@example.com')) ?? undefined;
  const website = (await ask('Website (optional)', 'https://example.com')) ?? undefined;
  const file = createBusinessFile(home, { name, slug, phone: phone ?? '', timeZone, ownerName, ownerEmail, website });
  p.log.success(`Wrote ${file}`);
  p.outro('Start AIOS (`npm start`), then run `aios onboard` again to import your data.');
}

/**
 * Walks the onboarding checklist against the running AIOS: confirm the business, import contacts
 * and invoices (CSV), connect mail and calendar, bootstrap knowledge from the website or a folder,
 * then the audit. Every step can be skipped; with `--yes` nothing is asked and only the steps
 * given as flags run (for scripts and tests).
 */
export async function runOnboard(target: () => Target, o: OnboardFlags): Promise<OnboardReport> {
  const t0 = Date.now();
  const p = await prompts();
  const interactive = !o.yes && !!process.stdin.isTTY;
  const say = (line: string) => (o.json ? undefined : interactive ? p.log.info(line) : void process.stdout.write(`${line}\n`));
  const done: OnboardReport['done'] = [];
  const skipped: string[] = [];
  const t = target();
  let list = await fetchChecklist(t);
  if (interactive) p.intro(`Setting up ${list.business.name} (${list.business.slug})`);
  say(`Business: ${list.business.name} (${list.business.slug}) — ${list.doneCount}/${list.total} steps done`);
  const stepDone = (id: string) => list.steps.find((s) => s.id === id)?.done ?? false;
  const run = async (step: string, fn: () => Promise<string>) => {
    const spin = interactive ? p.spinner() : null;
    spin?.start(`${step}…`);
    try {
      const result = await fn();
      done.push({ step, result });
      spin ? spin.stop(`${step}: ${result}`) : say(`${step}: ${result}`);
    } catch (err) {
      spin?.stop(`${step}: failed`);
      if (!interactive) throw err;
      p.log.error(`${err instanceof Error ? err.message : String(err)}${err instanceof AiosError && err.fix ? `\n${err.fix}` : ''}`);
      skipped.push(step);
    }
  };
  const choose = async (id: string, flag: string | undefined, question: string, placeholder: string): Promise<string | null> => {
    if (flag) return flag;
    if (!interactive) return (skipped.push(id), null);
    const status = list.steps.find((s) => s.id === id);
    const v = await ask(`${question}${status?.done ? ` (done: ${status.detail}; Enter to skip)` : ' (Enter to skip)'}`, placeholder);
    if (!v) skipped.push(id);
    return v;
  };

  const contacts = await choose('contacts', o.contacts, 'Contacts CSV export (HubSpot, Pipedrive, or name/email/phone columns)', './contacts.csv');
  if (contacts) await run('contacts', async () => { const r = await importCsvFile(t, 'contacts', contacts); return `${r.imported} imported, ${r.updated} updated, ${r.skipped} rows skipped (${r.format})`; });
  const invoices = await choose('invoices', o.invoices, 'Invoices CSV export (QuickBooks Online, Xero)', './invoices.csv');
  if (invoices) await run('invoices', async () => { const r = await importCsvFile(t, 'invoices', invoices); return `${r.imported} imported, ${r.updated} updated, ${r.skipped} rows skipped (${r.format})`; });

  if (o.mailCredentials) {
    let creds: Record<string, unknown>;
    try {
      creds = JSON.parse(o.mailCredentials) as Record<string, unknown>;
    } catch {
      throw new AiosError('bad_input', '--mail-credentials is not valid JSON', { fix: 'Quote it whole, e.g. --mail-credentials \'{"host":"imap.example.com","user":"me","password":"…"}\'.' });
    }
    await run('mail', async () => `connected (${(await connectImap(t, creds)).id})`);
  } else if (!stepDone('mail')) {
    skipped.push('mail');
    say('Mail: connect your mailbox with `aios connect imap` (it is checked against your server before it is saved).');
  }
  const ics = o.calendarIcs ?? (interactive && !stepDone('calendar') ? await ask('Calendar: your calendar\'s ICS export link (or Enter to skip; CalDAV: `aios connect caldav`)', 'https://calendar.example.com/feed.ics') : null);
  if (ics) await run('calendar', async () => `connected (${(await connectIcs(t, ics)).id})`);
  else if (!stepDone('calendar')) skipped.push('calendar');

  const website = await choose('website', o.website, 'Your website or its sitemap.xml (AIOS reads the public pages)', 'https://example.com/');
  if (website) await run('website', async () => { const r = await crawlSite(t, website, maxPagesArg(o.maxPages)); return `${r.pages.length} pages read, ${r.skipped.length} skipped`; });
  const folder = o.folder ?? (interactive ? await ask('A folder of documents (price lists, FAQs, policies) to add (Enter to skip)', './documents') : null);
  if (folder) await run('folder', async () => { const r = await importFolder(t, folder); return `copied into knowledge/${r.into}: ${r.stats.added ?? 0} files added`; });

  list = await fetchChecklist(t);
  if (!stepDone('audit')) say(auditAvailable() ? 'Next: run `aios audit` to see what to automate first.' : 'Next: `aios audit` (the audit of what to automate first) once it is installed.');
  const seconds = (Date.now() - t0) / 1000;
  const report: OnboardReport = { business: list.business.slug, done, skipped, checklist: list, seconds };
  if (o.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else {
    const lines = list.steps.map((s) => `${s.done ? '✓' : '·'} ${s.title}: ${s.detail}${s.done ? '' : `  → ${s.command}  (dashboard: ${s.page})`}`);
    if (interactive) {
      p.note(lines.join('\n'), `${list.doneCount}/${list.total} done`);
      p.outro(`Took ${seconds.toFixed(1)} s.`);
    } else process.stdout.write(`${lines.join('\n')}\n${list.doneCount}/${list.total} done in ${seconds.toFixed(1)} s\n`);
  }
  return report;
}

/** `aios onboard`: from a fresh install to a first audit (see {@link runOnboard}). */
export function onboardCommand(program: Command, target: () => Target): void {
  program
    .command('onboard')
    .description('set the business up step by step: contacts and invoices (CSV), mail and calendar, website or folder knowledge, then the audit; every step skippable')
    .option('--contacts <file>', 'contacts CSV to import')
    .option('--invoices <file>', 'invoices CSV to import')
    .option('--website <url>', 'website or sitemap.xml to read into knowledge')
    .option('--max-pages <n>', 'pages read from the website at most (default 50)')
    .option('--folder <dir>', 'folder of documents to add to knowledge')
    .option('--calendar-ics <url>', "calendar's ICS export link to connect")
    .option('--mail-credentials <json>', 'IMAP credentials as JSON (as `aios connect imap --credentials`)')
    .option('--yes', 'ask nothing: run only the steps given as flags')
    .option('--json', 'machine-readable report')
    .action(async (o: OnboardFlags) => {
      const { home } = loadConfig();
      if (knownTenants(home).length === 0) {
        if (o.yes || !process.stdin.isTTY) throw new AiosError('no_business', `no business in ${join(home, 'tenants')}`, { fix: 'Run `aios onboard` in a terminal to create one, or write tenants/<slug>/tenant.yaml (see docs), then start AIOS.' });
        (await prompts()).intro('AIOS set-up');
        return createBusiness(home);
      }
      await runOnboard(target, o);
    });
}
