import type { Command } from 'commander';
import { api, type Target } from './client.js';
import { ndjson } from './ndjson.js';
import { AiosError } from '../core/errors.js';
import { printTable } from './format.js';

/** `aios knowledge sync | search | ask | gaps | answer | facts` against the running instance. */
export function knowledgeCommands(program: Command, target: () => Target): void {
  const k = program.command('knowledge').description("the business's knowledge folder: index, search, answers, gaps");
  const json = (v: unknown): void => void process.stdout.write(JSON.stringify(v, null, 2) + '\n');

  k.command('sync')
    .description('index the knowledge folder now (unchanged files are skipped)')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const t = target();
      const res = await fetch(`${t.url}/api/v1/knowledge/sync`, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, accept: 'application/x-ndjson' } });
      if (!res.ok) throw new AiosError('sync_failed', `sync answered HTTP ${res.status}: ${await res.text()}`, { fix: 'Check that `aios start` is running and the token has the admin scope.' });
      const { default: cliProgress } = await import('cli-progress'); // loaded only for a sync
      const bar = new cliProgress.SingleBar({ format: 'indexing [{bar}] {value}/{total} files {file}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
      let started = false;
      let r: { stats: Record<string, number>; failures: Array<{ file: string; reason: string }> } | undefined;
      for await (const msg of ndjson(res)) {
        if (msg.progress && !o.json && process.stderr.isTTY) {
          if (!started) bar.start(msg.progress.total, 0, { file: '' });
          started = true;
          bar.update(msg.progress.done, { file: String(msg.progress.file ?? '').slice(-40) });
        }
        if (msg.result) r = msg.result;
        if (msg.error) throw new AiosError('sync_failed', String(msg.error.message), { fix: String(msg.error.fix || 'Correct the file named above in the knowledge folder, then sync again.') });
      }
      if (started) bar.stop();
      if (!r) throw new AiosError('sync_failed', 'the sync ended without a result', { fix: 'Run `aios knowledge sync` again; the cause is in the AIOS log.' });
      if (o.json) return json(r);
      const s = r.stats;
      process.stdout.write(`${s.files} files: ${s.added} added, ${s.changed} changed, ${s.moved} moved, ${s.deleted} deleted, ${s.unchanged} unchanged, ${s.failed} not indexed (${s.ms} ms)\n`);
      if (r.failures.length) printTable(r.failures, ['file', 'reason'], { max: 90 });
    });

  k.command('search <query...>')
    .option('--kind <kinds>', 'comma-separated kinds (offer, pricing, policy, voice, faq, procedure, example)')
    .option('--limit <n>', 'results', '5')
    .option('--json', 'machine-readable output')
    .action(async (words: string[], o: { kind?: string; limit: string; json?: boolean }) => {
      const qs = new URLSearchParams({ q: words.join(' '), limit: o.limit, ...(o.kind ? { kind: o.kind } : {}) });
      const r = await api<{ hits: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/knowledge/search?${qs}`);
      printTable(r.hits, ['file', 'headingPath', 'kind', 'score', 'excerpt'], { json: o.json, max: 60 });
    });

  k.command('ask <question...>')
    .option('--json', 'machine-readable output')
    .action(async (words: string[], o: { json?: boolean }) => {
      const r = await api<{ status: string; text: string; confidence: number; citations: Array<{ file: string; headingPath: string }> }>(target(), 'POST', '/api/v1/knowledge/ask', { question: words.join(' ') });
      if (o.json) return json(r);
      process.stdout.write(`${r.status === 'answered' ? r.text : `I don't know yet — asked the owner (${r.text})`}\n`);
      for (const c of r.citations) process.stdout.write(`  [${c.file}${c.headingPath ? ` › ${c.headingPath}` : ''}]\n`);
      process.stdout.write(`confidence ${r.confidence.toFixed(2)}\n`);
    });

  k.command('gaps')
    .description('questions AIOS could not answer, for the owner')
    .option('--status <s>', 'open | answered')
    .option('--json', 'machine-readable output')
    .action(async (o: { status?: string; json?: boolean }) => {
      const r = await api<{ gaps: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/knowledge/gaps${o.status ? `?status=${o.status}` : ''}`);
      printTable(r.gaps, ['id', 'question', 'occurrences', 'status'], { json: o.json, max: 70 });
    });

  // The answer may be typed without quotes: every word after the gap id is the answer, whole.
  k.command('answer <gapId> <text...>')
    .description("write the owner's answer (all of it, quoted or not) as a FAQ file and re-index: asked once, known forever")
    .option('--json', 'machine-readable output')
    .action(async (gapId: string, words: string[], o: { json?: boolean }) => {
      const text = words.join(' ');
      const r = await api<{ file: string }>(target(), 'POST', `/api/v1/knowledge/gaps/${encodeURIComponent(gapId)}/answer`, { text });
      if (o.json) return json(r);
      process.stdout.write(`saved as ${r.file} and indexed\n`);
    });

  k.command('facts')
    .option('--type <t>', 'price | service_area | hours | booking_link | payment_terms | phone | email | other')
    .option('--json', 'machine-readable output')
    .action(async (o: { type?: string; json?: boolean }) => {
      const r = await api<{ facts: Array<Record<string, unknown>> }>(target(), 'GET', `/api/v1/knowledge/facts${o.type ? `?type=${o.type}` : ''}`);
      printTable(r.facts, ['type', 'key', 'value', 'file', 'validUntil'], { json: o.json, max: 50 });
    });
}
