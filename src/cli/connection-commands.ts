import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { ndjson } from './ndjson.js';
import { AiosError } from '../core/errors.js';
import { printTable } from './format.js';

/** Where the connection API is mounted on the server. */
export const CONNECTION_API_PREFIX = '/api/v1';

type Target = { url: string; token: string };
type ImportResult = { format: string; dryRun: boolean; total: number; imported: number; updated: number; skipped: number; errors: Array<{ row: number; column: string; problem: string }>; errorsTruncated?: boolean };

async function request(t: Target, method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${t.url}${CONNECTION_API_PREFIX}${path}`, { method, headers: { authorization: `Bearer ${t.token}`, ...init.headers }, body: init.body as RequestInit["body"], ...(init.body ? { duplex: 'half' } : {}) } as RequestInit);
  } catch (err) {
    throw new AiosError('not_running', `cannot reach AIOS at ${t.url}`, { fix: 'Is it running? Start it with `aios start`.', cause: err });
  }
  if (!res.ok && !(res.headers.get('content-type') ?? '').includes('ndjson')) {
    const text = await res.text();
    let j: Record<string, unknown> = {};
    try {
      j = JSON.parse(text) as Record<string, unknown>;
    } catch {
      /* not JSON */
    }
    throw new AiosError(String(j.error ?? res.status), String(j.message ?? (text || `HTTP ${res.status}`)), { fix: String(j.fix ?? '') });
  }
  return res;
}

/** Counts newline bytes of a file in a stream (for the progress bar's total). */
async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Adds `aios connections`, `aios quarantine` and `aios import contacts|invoices <file>` to the
 * CLI. They call the API of the running instance (`ctx.target()`), mounted at /api/v1.
 */
export function registerConnectionCommands(program: Command, ctx: { target: () => Target }): void {
  program
    .command('connections')
    .description('connected services: status, last sync, backlog, last error')
    .option('--json', 'machine-readable output')
    .action(async (o: { json?: boolean }) => {
      const r = (await (await request(ctx.target(), 'GET', '/connections')).json()) as { connections: Array<Record<string, unknown>> };
      const rows = r.connections.map((c) => ({ ...c, last_sync: c.last_sync_at ?? 'never', next_retry: c.next_retry_at ?? '', last_error: c.last_error ?? '' }));
      printTable(o.json ? r.connections : rows, ['id', 'name', 'kind', 'status', 'last_sync', 'backlog', 'next_retry', 'last_error'], { json: o.json, max: 80 });
    });

  program
    .command('quarantine')
    .description('items that could not be processed, with the reason')
    .option('--json', 'machine-readable output')
    .option('--limit <n>', 'rows', '50')
    .action(async (o: { json?: boolean; limit: string }) => {
      const r = (await (await request(ctx.target(), 'GET', `/quarantine?limit=${encodeURIComponent(o.limit)}`)).json()) as { items: Array<Record<string, unknown>> };
      printTable(r.items, ['created_at', 'source', 'external_id', 'reason', 'sample'], { json: o.json });
    });

  program
    .command('import')
    .description('import contacts (HubSpot, Pipedrive) or invoices (QuickBooks Online, Xero) from a CSV export')
    .argument('<kind>', 'contacts | invoices')
    .argument('<file>', 'the CSV file')
    .option('--dry-run', 'check every row and show what would change, write nothing')
    .option('--map <pairs>', 'column mapping, e.g. "Tel=phone,Full Name=name"')
    .option('--json', 'print the result as JSON')
    .action(async (kind: string, file: string, o: { dryRun?: boolean; map?: string; json?: boolean }) => {
      if (kind !== 'contacts' && kind !== 'invoices') throw new AiosError('bad_input', `unknown import kind "${kind}"`, { fix: 'Use `aios import contacts <file>` or `aios import invoices <file>`.' });
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        throw new AiosError('file_not_found', `cannot read ${file}`, { fix: 'Check the path.' });
      }
      const q = new URLSearchParams();
      if (o.dryRun) q.set('dryRun', '1');
      if (o.map) q.set('map', o.map);
      const total = Math.max(0, (await countLines(file)) - 1);
      const { default: cliProgress } = await import('cli-progress'); // loaded only for an import
      const bar = new cliProgress.SingleBar({ format: `${o.dryRun ? 'checking' : 'importing'} [{bar}] {value}/{total} rows`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
      if (!o.json) bar.start(total, 0);
      const res = await request(ctx.target(), 'POST', `/imports/${kind}?${q}`, {
        body: Readable.toWeb(createReadStream(file)),
        headers: { 'content-type': 'text/csv', 'content-length': String(size), accept: 'application/x-ndjson' },
      });
      let result: ImportResult | undefined;
      let failure: Record<string, string> | undefined;
      for await (const msg of ndjson(res)) {
        if (msg.progress) bar.update(Math.min(total, msg.progress.rows as number));
        if (msg.result) result = msg.result as ImportResult;
        if (msg.error) failure = msg.error as Record<string, string>;
      }
      if (!o.json) {
        if (result) bar.update(total);
        bar.stop();
      }
      if (failure || !result) throw new AiosError(failure?.error ?? 'import_failed', failure?.message ?? 'the import ended without a result', { fix: failure?.fix ?? 'See the server log.' });
      if (o.json) return void process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      const verb = result.dryRun ? 'would import' : 'imported';
      process.stdout.write(`${result.format}: ${result.total} rows — ${verb} ${result.imported} new, ${result.updated} matched existing, ${result.skipped} skipped${result.dryRun ? ' (dry run: nothing written)' : ''}\n`);
      if (result.errors.length) {
        printTable(result.errors, ['row', 'column', 'problem'], { max: 100 });
        if (result.errorsTruncated) process.stdout.write(`(only the first ${result.errors.length} problems are shown)\n`);
      }
    });
}
