import type { Db } from '../store/db.js';
import type { Signal } from '../store/schema.js';
import { InputError, NotFoundError, ConflictError } from '../core/errors.js';
import { audit } from '../records/audit.js';

/** Longest snooze (ms): a year. Longer is a dismissal. */
export const MAX_SNOOZE_MS = 366 * 86_400_000;

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * Parses a snooze length such as `30m`, `4h`, `2d` or `1w` (minutes, hours, days, weeks).
 * @returns milliseconds
 * @throws InputError with what to write instead
 */
export function parseSnoozeFor(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*$/i.exec(text);
  const ms = m ? Number(m[1]) * UNITS[m[2]!.toLowerCase()]! : NaN;
  if (!Number.isFinite(ms) || ms <= 0 || ms > MAX_SNOOZE_MS) {
    throw new InputError(`"${text}" is not a snooze length`, { fix: 'Write a number and a unit: 30m, 4h, 2d or 1w (at most a year), or give `until` as an ISO 8601 time.' });
  }
  return ms;
}

async function signalOf(db: Db, tenantId: string, id: string): Promise<Signal> {
  const s = await db.selectFrom('signals').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
  if (!s) throw new NotFoundError('signal', id);
  return s;
}

function closedError(s: Signal, what: string): ConflictError {
  return new ConflictError(`signal ${s.id} is ${s.status}: it cannot be ${what}`, 'Only open, handling or snoozed signals can be snoozed or dismissed; list them with `aios signals --status open`.');
}

/**
 * Snoozes a signal until `until` (business clock): it is hidden from the open list and wakes to
 * `open` when due (the watcher scheduler's pass). A snoozed signal still resolves by itself.
 * @throws NotFoundError (unknown id in this tenant), InputError (until not in the future),
 *   ConflictError (resolved or dismissed)
 */
export async function snoozeSignal(db: Db, tenantId: string, id: string, until: Date, now: Date, actor: string): Promise<Signal> {
  const s = await signalOf(db, tenantId, id);
  if (Number.isNaN(until.getTime()) || until.getTime() <= now.getTime() || until.getTime() - now.getTime() > MAX_SNOOZE_MS) {
    throw new InputError('the snooze must end in the future, at most a year from now', { fix: 'Give `for` such as "2d", or `until` as an ISO 8601 time after now.' });
  }
  if (!['open', 'handling', 'snoozed'].includes(s.status)) throw closedError(s, 'snoozed');
  const row = await db
    .updateTable('signals')
    .set({ status: 'snoozed', snoozed_until: until, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['open', 'handling', 'snoozed'])
    .returningAll()
    .executeTakeFirst();
  if (!row) throw closedError(await signalOf(db, tenantId, id), 'snoozed');
  await audit(db, tenantId, actor, 'signal.snoozed', id, { kind: s.kind, until: until.toISOString(), was: s.status });
  return row;
}

/**
 * Dismisses a signal: it stays `dismissed` (its dedup key keeps the same occurrence from being
 * raised again, and watchers never resolve or reopen it). The reason is kept on the signal and in
 * the audit log. Dismissing a dismissed signal again is harmless (returns it unchanged).
 * @throws NotFoundError, ConflictError (already resolved)
 */
export async function dismissSignal(db: Db, tenantId: string, id: string, reason: string | null, now: Date, actor: string): Promise<Signal> {
  const s = await signalOf(db, tenantId, id);
  if (s.status === 'dismissed') return s;
  if (s.status === 'resolved') throw closedError(s, 'dismissed');
  const row = await db
    .updateTable('signals')
    .set({ status: 'dismissed', dismiss_reason: reason, snoozed_until: null, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['open', 'handling', 'snoozed'])
    .returningAll()
    .executeTakeFirst();
  if (!row) throw closedError(await signalOf(db, tenantId, id), 'dismissed');
  await audit(db, tenantId, actor, 'signal.dismissed', id, { kind: s.kind, reason, was: s.status });
  return row;
}

/**
 * Wakes every snoozed signal of the tenant whose `snoozed_until` has come: back to `open`.
 * @returns the woken signals
 */
export async function wakeSnoozed(db: Db, tenantId: string, now: Date): Promise<Signal[]> {
  const rows = await db
    .updateTable('signals')
    .set({ status: 'open', snoozed_until: null, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('status', '=', 'snoozed')
    .where('snoozed_until', '<=', now)
    .returningAll()
    .execute();
  for (const r of rows) await audit(db, tenantId, 'watcher', 'signal.woke', r.id, { kind: r.kind });
  return rows;
}
