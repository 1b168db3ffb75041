import { watch } from 'chokidar';
import { basename } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { TenantRegistry } from './tenant-registry.js';

/** The files of a tenant folder that are reloaded when saved. */
const WATCHED = new Set(['tenant.yaml', 'policy.yaml']);

/** Options of {@link watchTenantConfig}. */
export interface ConfigWatchOptions {
  /** Quiet time after the last change before reloading, milliseconds (default 150). */
  debounceMs?: number;
  /** Use polling instead of native events (network drives, some containers). */
  usePolling?: boolean;
}

/**
 * Watches each loaded tenant's `tenant.yaml` and `policy.yaml` and calls
 * {@link TenantRegistry.reload} after a save (debounced per tenant; an editor's
 * write-temp-then-rename counts as one save). Symlinks are not followed. The registry validates,
 * swaps in or refuses; this only logs errors that are not about the files themselves.
 * @returns a function that stops watching and waits for reloads in progress.
 */
export async function watchTenantConfig(tenants: TenantRegistry, log: Logger, opts: ConfigWatchOptions = {}): Promise<() => Promise<void>> {
  const debounceMs = opts.debounceMs ?? 150;
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  const slugOfDir = new Map(tenants.all().map((t) => [t.dir, t.slug]));

  const schedule = (slug: string) => {
    if (stopped) return;
    clearTimeout(timers.get(slug));
    timers.set(slug, setTimeout(() => {
      timers.delete(slug);
      const p = tenants.reload(slug).catch((err: unknown) => log.error({ err, tenant: slug }, 'reloading the tenant files failed'));
      running.add(p);
      void p.finally(() => running.delete(p));
    }, debounceMs));
  };

  const dirs = [...slugOfDir.keys()];
  if (dirs.length === 0) return async () => undefined;
  const watcher = watch(dirs, {
    ignoreInitial: true,
    depth: 0,
    followSymlinks: false,
    ignored: (path: string) => !slugOfDir.has(path) && !WATCHED.has(basename(path)),
    awaitWriteFinish: { stabilityThreshold: 100, pollInterval: 25 },
    usePolling: opts.usePolling ?? false,
    interval: 200,
  });
  watcher.on('all', (_event, path) => {
    if (!WATCHED.has(basename(path))) return;
    const slug = slugOfDir.get(path.slice(0, -basename(path).length - 1));
    if (slug) schedule(slug);
  });
  watcher.on('error', (err) => log.warn({ err }, 'watching the tenant files failed'));
  // A business created while AIOS runs (agency console) is watched from then on.
  tenants.onAdded(async (t) => {
    if (stopped) return;
    slugOfDir.set(t.dir, t.slug);
    watcher.add(t.dir);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return async () => {
    stopped = true;
    for (const t of timers.values()) clearTimeout(t);
    await watcher.close();
    await Promise.allSettled([...running]);
  };
}
