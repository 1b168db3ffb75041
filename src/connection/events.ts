import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';

/** Something that happened outside, as a connector saw it. */
export interface EventInput {
  tenantId: string;
  /** Where it came from, e.g. `twilio`. */
  source: string;
  /** What it is, e.g. `call.missed`, `sms.received`. */
  type: string;
  /** Unique per tenant for one real-world occurrence; a redelivery carries the same key. */
  dedupKey: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
}

/** A stored event. */
export interface StoredEvent extends EventInput {
  id: string;
}

/**
 * Appends an event to the tenant's log. Returns `duplicate: true` (and stores nothing) when an
 * event with the same dedup key already exists — a provider retrying a webhook.
 */
export async function appendEvent(db: Db, e: EventInput): Promise<{ event: StoredEvent; duplicate: boolean }> {
  const id = newId('ev');
  const row = await db
    .insertInto('events')
    .values({ id, tenant_id: e.tenantId, source: e.source, type: e.type, dedup_key: e.dedupKey, occurred_at: e.occurredAt, payload: JSON.stringify(e.payload) })
    .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) return { event: { ...e, id }, duplicate: false };
  const existing = await db.selectFrom('events').select('id').where('tenant_id', '=', e.tenantId).where('dedup_key', '=', e.dedupKey).executeTakeFirstOrThrow();
  return { event: { ...e, id: existing.id }, duplicate: true };
}
