import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import type { Signal } from '../store/schema.js';
import type { StoredEvent } from '../connection/events.js';
import { newId } from '../core/ids.js';
import { upsertContactByPhone } from '../records/contacts.js';
import { quotableName } from '../records/contact-names.js';
import { sanitizeName } from '../core/sanitize-name.js';

/** Signal kind raised for a call nobody answered. */
export const MISSED_CALL = 'missed_call';

/**
 * Turns a `call.missed` event into a `missed_call` signal about the caller. A caller who rings
 * again within `recallWindowMinutes` of an earlier missed-call signal does not get a new signal
 * (so is not texted twice); the earlier signal counts the extra call instead. Serialised per
 * caller with an advisory lock, so two simultaneous calls still make one signal. The caller becomes
 * (or updates) a contact, named from caller ID (cleaned) by the rules of `mayReplaceName`; the
 * signal's `contactName` is the name a text may quote (`quotableName`: never an unverified visitor's).
 * Run it in the same transaction as the event insert.
 */
export async function onMissedCall(db: Db, event: StoredEvent, opts: { recallWindowMinutes: number }): Promise<{ signal: Signal; isNew: boolean }> {
  const caller = String(event.payload.from);
  await sql`select pg_advisory_xact_lock(hashtext(${event.tenantId} || ':missed:' || ${caller}))`.execute(db);
  const since = new Date(event.occurredAt.getTime() - opts.recallWindowMinutes * 60_000);
  const recent = await db
    .selectFrom('signals')
    .selectAll()
    .where('tenant_id', '=', event.tenantId)
    .where('kind', '=', MISSED_CALL)
    .where('subject', '=', caller)
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (recent) {
    const updated = await db
      .updateTable('signals')
      .set({ occurrences: sql`occurrences + 1`, updated_at: sql`now()` })
      .where('id', '=', recent.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { signal: updated, isNew: false };
  }
  // Caller ID is an outside value: cleaned before it names a contact or enters a template.
  const callerName = sanitizeName(event.payload.callerName as string | null);
  const { contact } = await upsertContactByPhone(db, event.tenantId, caller, { name: callerName, source: 'missed_call', nameSource: 'caller_id' });
  const signal = await db
    .insertInto('signals')
    .values({
      id: newId('sig'),
      tenant_id: event.tenantId,
      kind: MISSED_CALL,
      subject: caller,
      severity: 'high',
      dedup_key: `${MISSED_CALL}:${event.id}`,
      data: JSON.stringify({ from: caller, contactId: contact.id, contactName: quotableName(contact), callerName, callSid: event.payload.callSid, callStatus: event.payload.callStatus, calledAt: event.occurredAt.toISOString(), eventId: event.id }),
      event_id: event.id,
      created_at: event.occurredAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { signal, isNew: true };
}
