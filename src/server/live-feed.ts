import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Logger } from '../core/logger.js';

/** A change announced to a business's open dashboards. */
export interface LiveChange {
  /** `approval` (new or decided), `message` (in or out), `signal` (new or status), `run` (status). */
  type: 'approval' | 'message' | 'signal' | 'run';
  id: string;
  /** The row's status after the change (approvals, signals, runs); for messages, the direction. */
  status: string;
  /** The conversation of a message. */
  conversationId?: string;
}

/** A subscriber: receives changes; `end` is called once when the feed shuts down. */
export interface LiveListener {
  send(change: LiveChange): void;
  end(): void;
}

/** Defaults: poll every second; at most 20 open streams per business; 5 s overlap for late commits. */
export const LIVE_POLL_MS = 1000;
export const LIVE_MAX_PER_TENANT = 20;
export const LIVE_OVERLAP_MS = 5000;
/** Most changes one poll reads. */
export const LIVE_BATCH = 500;

interface TenantFeed {
  listeners: Set<LiveListener>;
  cursor: Date | null;
  seen: Map<string, number>;
  timer: NodeJS.Timeout | null;
  polling: boolean;
}

/**
 * Announces changes per business by polling: while at least one dashboard of a business is
 * connected, one query a second (`LIVE_POLL_MS`) asks for approvals, messages, signals and runs
 * changed since the last look, scoped by the tenant. A change is keyed by type, id and status, so
 * it is announced once even though each poll overlaps the last by `LIVE_OVERLAP_MS` (a row whose
 * transaction committed late is still seen). Polling stops when the last listener leaves.
 */
export class LiveFeed {
  private readonly feeds = new Map<string, TenantFeed>();
  private closed = false;

  constructor(private readonly db: Db, private readonly log: Logger, private readonly opts: { pollMs?: number; maxPerTenant?: number } = {}) {}

  /** True once {@link close} ran (AIOS is shutting down). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Open listeners of a business. */
  count(tenantId: string): number {
    return this.feeds.get(tenantId)?.listeners.size ?? 0;
  }

  /**
   * Adds a listener for `tenantId`'s changes; returns its unsubscribe function, or null when the
   * business already has the maximum of open streams (or the feed is shut down).
   */
  subscribe(tenantId: string, l: LiveListener): (() => void) | null {
    if (this.closed) return null;
    let f = this.feeds.get(tenantId);
    if (!f) {
      f = { listeners: new Set(), cursor: null, seen: new Map(), timer: null, polling: false };
      this.feeds.set(tenantId, f);
    }
    if (f.listeners.size >= (this.opts.maxPerTenant ?? LIVE_MAX_PER_TENANT)) return null;
    f.listeners.add(l);
    if (!f.timer && !f.polling) this.schedule(tenantId, f, 0);
    return () => {
      f.listeners.delete(l);
      if (f.listeners.size === 0) {
        if (f.timer) clearTimeout(f.timer);
        this.feeds.delete(tenantId);
      }
    };
  }

  /** Ends every listener and stops polling (at shutdown, before the HTTP server closes). */
  close(): void {
    this.closed = true;
    for (const f of this.feeds.values()) {
      if (f.timer) clearTimeout(f.timer);
      for (const l of f.listeners) l.end();
      f.listeners.clear();
    }
    this.feeds.clear();
  }

  private schedule(tenantId: string, f: TenantFeed, ms: number): void {
    f.timer = setTimeout(() => {
      f.timer = null;
      void this.poll(tenantId, f);
    }, ms);
  }

  private async poll(tenantId: string, f: TenantFeed): Promise<void> {
    f.polling = true;
    try {
      if (!f.cursor) {
        f.cursor = (await sql<{ now: Date }>`select statement_timestamp() as now`.execute(this.db)).rows[0]!.now;
      } else {
        const { now, changes } = await changesSince(this.db, tenantId, new Date(f.cursor.getTime() - LIVE_OVERLAP_MS));
        for (const ch of changes) {
          const key = `${ch.type}:${ch.id}:${ch.status}`;
          if (f.seen.has(key)) continue;
          f.seen.set(key, ch.at.getTime());
          const { at: _at, ...change } = ch;
          for (const l of f.listeners) l.send(change);
        }
        f.cursor = now;
        const keepAfter = now.getTime() - 2 * LIVE_OVERLAP_MS;
        for (const [k, at] of f.seen) if (at < keepAfter) f.seen.delete(k);
      }
    } catch (err) {
      this.log.warn({ err, tenantId }, 'live feed poll failed');
    } finally {
      f.polling = false;
    }
    if (!this.closed && this.feeds.get(tenantId) === f && f.listeners.size > 0) this.schedule(tenantId, f, this.opts.pollMs ?? LIVE_POLL_MS);
  }
}

/**
 * Changes of one business after `after` (one round trip, four indexed scans): the database's own
 * time of the query comes back as `now`, the next cursor.
 */
export async function changesSince(db: Db, tenantId: string, after: Date): Promise<{ now: Date; changes: Array<LiveChange & { at: Date }> }> {
  type Row = { type: LiveChange['type']; id: string; status: string; conversation_id: string | null; at: string };
  const res = await sql<{ now: Date; rows: Row[] }>`
    with c as (
      select 'approval' as type, id, status, null::text as conversation_id, coalesce(decided_at, created_at) as at from approvals
        where tenant_id = ${tenantId} and (created_at > ${after} or decided_at > ${after})
      union all
      select 'message', id, direction, conversation_id, created_at from messages where tenant_id = ${tenantId} and created_at > ${after}
      union all
      select 'signal', id, status, null, updated_at from signals where tenant_id = ${tenantId} and updated_at > ${after}
      union all
      select 'run', id, status, null, updated_at from runs where tenant_id = ${tenantId} and updated_at > ${after}
    )
    select statement_timestamp() as now, coalesce((select json_agg(x order by x.at) from (select * from c order by at limit ${LIVE_BATCH}) x), '[]'::json) as rows`.execute(db);
  const row = res.rows[0]!;
  const changes = row.rows.map((r) => ({ type: r.type, id: r.id, status: r.status, at: new Date(r.at), ...(r.conversation_id ? { conversationId: r.conversation_id } : {}) }));
  // A full batch: continue from its last change next time instead of skipping what did not fit.
  const now = changes.length === LIVE_BATCH ? changes[changes.length - 1]!.at : new Date(row.now);
  return { now, changes };
}

const feeds = new WeakMap<object, LiveFeed>();

/** The one live feed of a running AIOS (keyed by its services object). */
export function liveFeedOf(owner: { db: Db; log: Logger }): LiveFeed {
  let f = feeds.get(owner);
  if (!f) {
    f = new LiveFeed(owner.db, owner.log);
    feeds.set(owner, f);
  }
  return f;
}
