/**
 * Knowledge benchmarks: `npm run bench:knowledge [-- --only latency,golden,answered,stackfaq,sync] [--keep DIR]`.
 * Starts its own embedded PostgreSQL in a temp folder (or DIR with --keep, reused between runs so
 * that the synthetic 100k chunks are generated once).
 */
import { sharedDataDir } from '../../test/support/shared-data.js';
import { mkdtempSync, rmSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.js';
import { createLogger } from '../../src/core/logger.js';
import { openDb, migrate } from '../../src/store/db.js';
import { benchLatency } from './latency.js';
import { benchGolden } from './golden.js';
import { benchAnswered } from './answered.js';
import { benchStackFaq } from './stackfaq.js';
import { benchSync } from './sync-throughput.js';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const only = new Set((arg('only') ?? 'stackfaq,golden,answered,latency,sync').split(','));
  const keep = arg('keep');
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'aios-bench-kn-'));
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  const log = createLogger('bench');
  const pg = await startEmbeddedPostgres(join(dir, 'pg'), log);
  const { db } = openDb(pg.url, 8);
  try {
    await migrate(db);
    console.log(`AIOS knowledge benchmark — Node ${process.version}, ${new Date().toISOString()}`);
    if (only.has('stackfaq')) await benchStackFaq(db, join(sharedDataDir() ?? join(ROOT, '..', 'shared', 'data'), 'faq', 'stackfaq.json'));
    if (only.has('golden')) await benchGolden(db, ROOT);
    if (only.has('answered')) await benchAnswered(db, ROOT);
    if (only.has('sync')) await benchSync(db, 1000);
    if (only.has('latency')) await benchLatency(db, (arg('sizes') ?? '10000,100000').split(',').map(Number));
  } finally {
    await db.destroy();
    await pg.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
