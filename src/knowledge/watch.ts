import { watch } from 'chokidar';
import { basename } from 'node:path';
import type { Db } from '../store/db.js';
import { isIgnored } from './scan.js';
import { syncKnowledge, type SyncOptions } from './sync.js';
import type { SyncResult } from './types.js';

/** Options of {@link watchKnowledge}. */
export interface WatchOptions extends SyncOptions {
  /** Quiet time after the last change before re-syncing, milliseconds (default 500). */
  debounceMs?: number;
  /** Sync once when the watcher starts (default true). */
  initialSync?: boolean;
  /** Called after every sync. */
  onSync?(result: SyncResult): void;
  /** Called when a sync fails (the watcher keeps running). */
  onError?(err: unknown): void;
  /** Use polling instead of native events (network drives, some containers). */
  usePolling?: boolean;
}

/**
 * Watches the knowledge folder and re-syncs after changes: bursts of events (an editor saving,
 * a folder copied in) are debounced into one {@link syncKnowledge}; syncs never overlap — a change
 * during a sync schedules exactly one more.
 * @returns a function that stops watching and waits for a sync in progress to finish
 */
export async function watchKnowledge(db: Db, tenantId: string, dir: string, opts: WatchOptions = {}): Promise<() => Promise<void>> {
  const debounceMs = opts.debounceMs ?? 500;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const result = await syncKnowledge(db, tenantId, dir, opts);
          opts.onSync?.(result);
        } catch (err) {
          opts.onError?.(err);
        }
      } while (again && !stopped);
    })();
    try {
      await running;
    } finally {
      running = null;
    }
  };

  const schedule = () => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, debounceMs);
  };

  const watcher = watch(dir, {
    ignoreInitial: true,
    ignored: (path: string) => path !== dir && isIgnored(basename(path)),
    awaitWriteFinish: { stabilityThreshold: Math.min(200, debounceMs), pollInterval: 50 },
    usePolling: opts.usePolling ?? false,
    // Links are never indexed (see scanFolder); watching through them would watch outside the folder.
    followSymlinks: false,
    interval: 200,
  });
  watcher.on('all', schedule);
  watcher.on('error', (err) => opts.onError?.(err));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  if (opts.initialSync !== false) await run();

  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await watcher.close();
    if (running) await running;
  };
}
