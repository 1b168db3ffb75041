import type { Db } from '../store/db.js';
import type { Signal } from '../store/schema.js';
import { newId } from '../core/ids.js';

/** A signal to store. */
export interface NewSignal {
  tenantId: string;
  kind: string;
  subject: string;
  dedupKey: string;
  data: object;
  severity?: 'low' | 'normal' | 'high';
}

/**
 * Stores a signal unless one with its dedup key exists (whatever that one's status: a dismissed
 * or resolved occurrence is never raised again). Returns the new row, or undefined when known.
 * @param now creation time (business clock).
 */
export async function storeSignal(db: Db, s: NewSignal, now: Date): Promise<Signal | undefined> {
  return db
    .insertInto('signals')
    .values({ id: newId('sig'), tenant_id: s.tenantId, kind: s.kind, subject: s.subject, severity: s.severity ?? 'normal', dedup_key: s.dedupKey, data: JSON.stringify(s.data), created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Signals of `kinds` whose condition may still hold: `open`, `handling` or `snoozed`. */
export async function liveSignals(db: Db, tenantId: string, kinds: readonly string[]): Promise<Signal[]> {
  return db.selectFrom('signals').selectAll().where('tenant_id', '=', tenantId).where('kind', 'in', [...kinds]).where('status', 'in', ['open', 'handling', 'snoozed']).execute();
}

/**
 * Marks signals `resolved` (self-resolution: the condition cleared), only those still `open`,
 * `handling` or `snoozed`; `why` goes into the audit log. Returns how many changed.
 */
export async function resolveSignals(db: Db, tenantId: string, ids: string[], now: Date, why: string): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db
    .updateTable('signals')
    .set({ status: 'resolved', resolved_at: now, updated_at: now, snoozed_until: null })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .where('status', 'in', ['open', 'handling', 'snoozed'])
    .returning(['id', 'kind'])
    .execute();
  if (rows.length) {
    await db
      .insertInto('audit_log')
      .values(rows.map((r) => ({ tenant_id: tenantId, actor: 'watcher', action: 'signal.resolved', subject: r.id, detail: JSON.stringify({ kind: r.kind, why }), at: now })))
      .execute();
  }
  return rows.length;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The business's local date (`YYYY-MM-DD`) of an instant. */
export function localDate(at: Date, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) dateFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(at);
}

/**
 * The dedup keys already stored for `kinds` (any status): a watcher skips those occurrences
 * before computing anything, so a pass that finds nothing new costs one query per kind.
 */
export async function knownDedupKeys(db: Db, tenantId: string, kinds: readonly string[]): Promise<Set<string>> {
  const rows = await db.selectFrom('signals').select('dedup_key').where('tenant_id', '=', tenantId).where('kind', 'in', [...kinds]).execute();
  return new Set(rows.map((r) => r.dedup_key));
}

/** Whole days from local date `a` to local date `b` (`YYYY-MM-DD`), negative when `b` is earlier. */
export function daysBetweenDates(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

