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
  for (const t of tenants) stops.push(await startTenantKnowledge(db, t, log, opts));
  return async () => {
    for (const s of stops) await s();
  };
}

/**
 * Indexes one tenant's `knowledge/` folder and (with `watch`) keeps watching it: what
 * {@link startKnowledge} does per tenant, also used for a business created while AIOS runs.
 * @returns its stop function (nothing to stop when the folder is absent).
 */
export async function startTenantKnowledge(db: Db, t: TenantInfo, log: Logger, opts: { watch: boolean }): Promise<() => Promise<void>> {
  const dir = join(t.dir, 'knowledge');
  if (!existsSync(dir)) return async () => undefined;
  const report = (r: Awaited<ReturnType<typeof syncKnowledge>>) => {
    for (const f of r.failures) log.warn({ tenant: t.slug, file: f.file, reason: f.reason }, 'knowledge file not indexed');
    if (r.stats.added || r.stats.changed || r.stats.deleted || r.stats.moved) log.info({ tenant: t.slug, ...r.stats }, 'knowledge synced');
  };
  report(await syncKnowledge(db, t.id, dir));
  if (!opts.watch) return async () => undefined;
  return watchKnowledge(db, t.id, dir, { initialSync: false, onSync: report, onError: (err) => log.warn({ tenant: t.slug, err: String(err) }, 'knowledge sync failed') });
}
