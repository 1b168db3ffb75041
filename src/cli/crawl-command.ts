import type { Command } from 'commander';
import type { Target } from './client.js';
import { AiosError } from '../core/errors.js';
import { printTable } from './format.js';
import { crawlSite } from './onboard-steps.js';

/** Parses `--max-pages`: a whole number 1..500. */
export function maxPagesArg(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new AiosError('bad_input', `--max-pages must be a whole number from 1 to 500, not "${raw}"`, { fix: 'Write e.g. --max-pages 50.' });
  return n;
}

/** Prints a crawl's outcome: pages kept, then URLs skipped with the reason. */
export function printCrawl(r: { pages: Array<{ url: string; status: string; cut: boolean }>; skipped: Array<{ url: string; reason: string }>; stoppedBy: string | null; ms: number }): void {
  const added = r.pages.filter((p) => p.status === 'added').length;
  process.stdout.write(`${r.pages.length} pages read (${added} new or changed, ${r.pages.length - added} unchanged), ${r.skipped.length} skipped, ${(r.ms / 1000).toFixed(1)} s${r.stoppedBy ? ` — stopped: ${r.stoppedBy === 'max_pages' ? 'page limit reached (--max-pages)' : 'time budget used up'}` : ''}\n`);
  if (r.pages.length) printTable(r.pages.map((p) => ({ ...p, note: p.cut ? 'cut (page too long)' : '' })), ['status', 'url', 'note'], { max: 90 });
  if (r.skipped.length) printTable(r.skipped, ['url', 'reason'], { max: 90 });
}

/** `aios knowledge crawl <url> [--max-pages N]`: the business's website into its knowledge folder. */
export function crawlCommand(program: Command, target: () => Target): void {
  const k = program.commands.find((c) => c.name() === 'knowledge') ?? program.command('knowledge');
  k.command('crawl <url>')
    .description("read the business's website (a start page or its sitemap.xml; same site only; robots.txt honoured) into knowledge/website/ and index it")
    .option('--max-pages <n>', 'pages read at most (default 50, at most 500)')
    .option('--json', 'machine-readable output')
    .action(async (url: string, o: { maxPages?: string; json?: boolean }) => {
      const r = await crawlSite(target(), url, maxPagesArg(o.maxPages));
      if (o.json) return void process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      printCrawl(r);
    });
}
