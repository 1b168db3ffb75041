import type { Db } from '../store/db.js';
import type { Logger } from '../core/logger.js';
import type { Clock } from '../core/clock.js';
import type { TenantInfo } from '../records/tenants.js';
import type { PlaybookHost } from '../autonomy/engine/playbook-host.js';
import { ownAddressMatcher, watcherSettings, type Watcher } from '../awareness/watcher.js';
import { BACK_OFFICE_WATCHERS } from '../awareness/watchers.js';
import { lastCheckedAt, markChecked } from '../awareness/watcher-state.js';
import { wakeSnoozed } from '../awareness/signal-lifecycle.js';
import { customerUnansweredWatcher } from './unanswered-schedule.js';
import { startPassSchedule, type PassSchedule } from './pass-schedule.js';

/** How often the scheduler runs every watcher for every business, in milliseconds (`AIOS_WATCH_EVERY_MS`). */
export const WATCH_EVERY_MS = 5 * 60_000;

/** Every watcher the scheduler runs: the back-office ones and `customer_unanswered`. */
export const ALL_WATCHERS: readonly Watcher[] = [customerUnansweredWatcher, ...BACK_OFFICE_WATCHERS];

/** What the scheduler needs. */
export interface WatchDeps {
  db: Db;
  log: Logger;
  clock: Clock;
  host: Pick<PlaybookHost, 'dispatchSignal'>;
  tenants: { all(): TenantInfo[] };
  /** The business's own addresses and `@domains` (src/server/own-addresses.ts). */
  ownAddresses?: (tenant: TenantInfo) => Promise<string[]>;
  watchers?: readonly Watcher[];
}

/** What one pass did. */
export interface WatchPass {
  raised: number;
  resolved: number;
  woken: number;
  /** `<tenant slug>/<watcher>: <message>` of each watcher that failed (the others still ran). */
  failed: string[];
  /** Milliseconds spent per watcher (summed over businesses). */
  ms: Record<string, number>;
}

/**
 * One pass over every business: wakes snoozed signals that are due, then for each watcher resolves
 * its signals whose condition cleared, raises new ones (dedup keys make a condition fire once)
 * and dispatches them (their playbooks start), and records the pass in `watcher_state`. A watcher
 * that fails is logged and retried at the next pass with its window unchanged; the rest go on.
 * @param now the pass's instant (default: the business clock)
 */
export async function runWatchers(d: WatchDeps, now: Date = d.clock.now()): Promise<WatchPass> {
  const pass: WatchPass = { raised: 0, resolved: 0, woken: 0, failed: [], ms: {} };
  for (const tenant of d.tenants.all()) {
    try {
      pass.woken += (await wakeSnoozed(d.db, tenant.id, now)).length;
    } catch (err) {
      pass.failed.push(`${tenant.slug}/wake: ${err instanceof Error ? err.message : String(err)}`);
    }
    let own: string[] = [];
    try {
      own = d.ownAddresses ? await d.ownAddresses(tenant) : watcherSettings(tenant).own_addresses;
    } catch (err) {
      d.log.warn({ err, tenant: tenant.slug }, 'own addresses unavailable');
    }
    const isOwnAddress = ownAddressMatcher(own);
    for (const w of d.watchers ?? ALL_WATCHERS) {
      const started = performance.now();
      try {
        const ctx = { db: d.db, tenant, now, lastCheckedAt: await lastCheckedAt(d.db, tenant.id, w.id), settings: watcherSettings(tenant), isOwnAddress };
        pass.resolved += await w.resolve(ctx);
        const signals = await w.raise(ctx);
        // Stored before dispatch: a crash here leaves them undispatched, and the next start's
        // dispatchPending starts their playbooks.
        for (const s of signals) await d.host.dispatchSignal(s);
        pass.raised += signals.length;
        await markChecked(d.db, tenant.id, w.id, now);
      } catch (err) {
        pass.failed.push(`${tenant.slug}/${w.id}: ${err instanceof Error ? err.message : String(err)}`);
      }
      pass.ms[w.id] = (pass.ms[w.id] ?? 0) + Math.round(performance.now() - started);
    }
  }
  if (pass.failed.length) d.log.warn({ failed: pass.failed }, 'some watchers failed; they run again at the next pass');
  if (pass.raised || pass.resolved || pass.woken) d.log.info({ raised: pass.raised, resolved: pass.resolved, woken: pass.woken }, 'watchers ran');
  return pass;
}

/** A running scheduler; its first pass is the catch-up after downtime (everything since each watcher's last pass). */
export type WatchSchedule = PassSchedule<WatchPass>;

/**
 * Starts the scheduler: one pass at once (the catch-up), then one every `everyMs`. Passes never
 * overlap: a tick while a pass runs is skipped.
 */
export function startWatchSchedule(d: WatchDeps, everyMs = WATCH_EVERY_MS): WatchSchedule {
  return startPassSchedule(
    () => runWatchers(d).catch((err: unknown): WatchPass => {
      d.log.warn({ err }, 'watcher pass failed');
      return { raised: 0, resolved: 0, woken: 0, failed: [String(err)], ms: {} };
    }),
    everyMs,
  );
}
