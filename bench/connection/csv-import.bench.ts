/**
 * CSV import benchmark: BENCH_CSV_ROWS (default 50 000) generated HubSpot-shaped contacts imported
 * into a fresh embedded PostgreSQL, then the same file again (all rows matched, none created).
 * Prints a Markdown table: rows/s and peak RSS (sampled every 20 ms, and the process maximum).
 * Run: `npx tsx bench/connection/csv-import.bench.ts`
 */
import { mkdtempSync, rmSync, chmodSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.js';
import { createLogger } from '../../src/core/logger.js';
import { openDb, migrate } from '../../src/store/db.js';
import { importCsv, type ImportResult } from '../../src/connection/csv/import.js';

const ROWS = Number(process.env.BENCH_CSV_ROWS ?? 50_000);

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('Record ID,First Name,Last Name,Email,Phone Number,Lifecycle Stage,Associated Deal\n');
  for (let i = 0; i < rows; i++) {
    const line = `${i},First${i},Last${i},person${i}@example.com,(416) ${String(200 + Math.floor(i / 10000)).padStart(3, '0')}-${String(i % 10000).padStart(4, '0')},lead,${i % 5 === 0 ? `Job ${i}` : ''}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const MB = 1024 * 1024;

async function measure(label: string, fn: () => Promise<ImportResult>) {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const r = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { label, r, ms, before, peak };
}

const dir = mkdtempSync(join(tmpdir(), 'aios-bench-csv-'));
chmodSync(dir, 0o755);
const log = createLogger('bench');
const pg = await startEmbeddedPostgres(join(dir, 'pg'), log);
try {
  const { db } = openDb(pg.url, 10);
  await migrate(db);
  await db.insertInto('tenants').values({ id: 'tn_bench', slug: 'bench', name: 'Bench', time_zone: 'America/Toronto', phone: '+14165550000' }).execute();
  const file = join(dir, 'contacts.csv');
  await writeCsv(file, ROWS);
  const runs = [
    await measure('first import', () => importCsv(db, 'tn_bench', file, { kind: 'contacts' })),
    await measure('re-import (idempotent)', () => importCsv(db, 'tn_bench', file, { kind: 'contacts' })),
    await measure('dry run', () => importCsv(db, 'tn_bench', file, { kind: 'contacts', dryRun: true })),
  ];
  const contacts = await db.selectFrom('contacts').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
  process.stdout.write(`\nCSV import, ${ROWS.toLocaleString('en')} HubSpot contacts (every 5th with a deal), embedded PostgreSQL, Node ${process.version}\n\n`);
  process.stdout.write('| run | rows | created | matched | skipped | seconds | rows/s | RSS before (MB) | peak RSS (MB) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n');
  for (const m of runs) {
    process.stdout.write(`| ${m.label} | ${m.r.total} | ${m.r.imported} | ${m.r.updated} | ${m.r.skipped} | ${(m.ms / 1000).toFixed(2)} | ${Math.round(m.r.total / (m.ms / 1000)).toLocaleString('en')} | ${(m.before / MB).toFixed(0)} | ${(m.peak / MB).toFixed(0)} |\n`);
  }
  process.stdout.write(`\ncontacts in the database: ${contacts.n}; process max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
  await db.destroy();
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
