import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import type { Logger } from '../core/logger.js';
import type { TenantInfo } from '../records/tenants.js';
import { syncKnowledge, watchKnowledge } from '../knowledge/index.js';

/**
 * Indexes each tenant's `knowledge/` folder at start (unchanged files are only hashed) and keeps
 * it current with a file watcher. Files that cannot be indexed are logged with their reason; the
 * rest are indexed. Returns a stop function for the watchers.
 */
export async function startKnowledge(db: Db, tenants: TenantInfo[], log: Logger, opts: { watch: boolean }): Promise<() => Promise<void>> {
  const stops: Array<() => Promise<void>> = [];
  for (const t of tenants) {
    const dir = join(t.dir, 'knowledge');
    if (!existsSync(dir)) continue;
    const report = (r: Awaited<ReturnType<typeof syncKnowledge>>) => {
      for (const f of r.failures) log.warn({ tenant: t.slug, file: f.file, reason: f.reason }, 'knowledge file not indexed');
      if (r.stats.added || r.stats.changed || r.stats.deleted || r.stats.moved) log.info({ tenant: t.slug, ...r.stats }, 'knowledge synced');
    };
    report(await syncKnowledge(db, t.id, dir));
    if (opts.watch) {
      stops.push(await watchKnowledge(db, t.id, dir, { initialSync: false, onSync: report, onError: (err) => log.warn({ tenant: t.slug, err: String(err) }, 'knowledge sync failed') }));
    }
  }
  return async () => {
    for (const s of stops) await s();
  };
}
