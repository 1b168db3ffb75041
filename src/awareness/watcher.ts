import type { Db } from '../store/db.js';
import type { Signal } from '../store/schema.js';
import type { TenantInfo } from '../records/tenants.js';
import { WatchersSection, type WatchersSectionT } from '../records/tenant-sections.js';

/** What one pass of a watcher over one business sees. */
export interface WatchContext {
  db: Db;
  tenant: TenantInfo;
  /** The instant of this pass (business clock). */
  now: Date;
  /**
   * When this watcher last finished a pass for this business (from `watcher_state`), null on its
   * first pass. Event-like watchers (a meeting ended) look at what happened since; state-like ones
   * (an invoice is overdue) look at the state now, and their dedup keys make a condition fire once.
   */
  lastCheckedAt: Date | null;
  /** Thresholds (`watchers:` in tenant.yaml, defaults filled in). */
  settings: WatchersSectionT;
  /** Whether a mail address is the business's own (not a customer). */
  isOwnAddress(address: string): boolean;
}

/**
 * A scheduled watcher: `raise` stores new signals (deduplicated, not yet dispatched: the scheduler
 * dispatches them), `resolve` marks its `open`, `handling` or `snoozed` signals `resolved` when
 * their condition has cleared (a `dismissed` one is left alone). Both are idempotent.
 */
export interface Watcher {
  /** Stable name, the key of `watcher_state`. */
  id: string;
  /** The signal kinds it raises. */
  kinds: readonly string[];
  raise(c: WatchContext): Promise<Signal[]>;
  /** @returns how many signals it resolved */
  resolve(c: WatchContext): Promise<number>;
}

/** A tenant's watcher thresholds with defaults (tenants built without `watchers:` get the defaults). */
export function watcherSettings(tenant: Pick<TenantInfo, 'watchers'>): WatchersSectionT {
  return tenant.watchers ?? WatchersSection.parse({});
}

/** An `isOwnAddress` from addresses and `@domain` entries (case-insensitive). */
export function ownAddressMatcher(entries: Iterable<string>): (address: string) => boolean {
  const exact = new Set<string>();
  const domains = new Set<string>();
  for (const e of entries) {
    const v = e.trim().toLowerCase();
    if (!v) continue;
    if (v.startsWith('@')) domains.add(v.slice(1));
    else exact.add(v);
  }
  return (address) => {
    const a = address.trim().toLowerCase();
    return exact.has(a) || domains.has(a.slice(a.lastIndexOf('@') + 1));
  };
}
