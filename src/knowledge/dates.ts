import type { Db } from '../store/db.js';
import { NotFoundError } from '../core/errors.js';

/** The calendar date (`YYYY-MM-DD`) of instant `now` in IANA time zone `timeZone`. */
export function dateInZone(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * Today's date in the tenant's time zone. A `valid_until` date is inclusive: a fact valid until
 * 2025-03-31 still holds at 23:59 on that day in Toronto.
 * @throws NotFoundError when the tenant does not exist.
 */
export async function tenantToday(db: Db, tenantId: string, now: Date): Promise<string> {
  const t = await db.selectFrom('tenants').select('time_zone').where('id', '=', tenantId).executeTakeFirst();
  if (!t) throw new NotFoundError('tenant', tenantId);
  return dateInZone(now, t.time_zone);
}

/** The tenant's currency (ISO code), default `CAD`. */
export async function tenantCurrency(db: Db, tenantId: string): Promise<string> {
  const t = await db.selectFrom('tenants').select('currency').where('id', '=', tenantId).executeTakeFirst();
  if (!t) throw new NotFoundError('tenant', tenantId);
  return t.currency || 'CAD';
}
