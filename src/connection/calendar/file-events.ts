import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import type { ConnectorItem } from '../framework/connector.js';
import { newId } from '../../core/ids.js';
import type { CalendarAttendee } from './tables.js';

interface EventJson {
  uid: string;
  key: string;
  recurrenceId: string | null;
  summary: string | null;
  description: string | null;
  location: string | null;
  start: string;
  end: string;
  allDay: boolean;
  timeZone: string | null;
  status: 'confirmed' | 'tentative' | 'cancelled';
  rrule: string | null;
  attendees: CalendarAttendee[];
  raw: string;
}

/**
 * Writes a calendar sync item into `calendar_events`, inside the poll's transaction: created and
 * changed resources replace their rows (one per VEVENT, overrides included); deleted ones remove
 * them. Rows are keyed by the resource (CalDAV href or feed key) plus the event key.
 */
export async function fileCalendarItem(tx: Db, item: ConnectorItem, ctx: { tenantId: string; connectionId: string }): Promise<void> {
  if (!item.type.startsWith('calendar.event.')) return;
  const p = item.payload as { href?: string; key?: string; etag?: string; events?: EventJson[] };
  const resource = p.href ?? p.key;
  if (!resource) return;
  const source = p.href ? 'caldav' : 'ics';
  const gone = await tx
    .deleteFrom('calendar_events')
    .where('tenant_id', '=', ctx.tenantId)
    .where('connection_id', '=', ctx.connectionId)
    .where((eb) => eb.or([eb('external_id', '=', resource), eb('external_id', 'like', `${resource.replace(/[\\%_]/g, (c) => `\\${c}`)}#%`)]))
    .returning(['id', 'external_id', 'uid'])
    .execute();
  if (item.type === 'calendar.event.deleted') return;
  // A changed resource keeps its rows' ids (bookings point at their event by id): by external id,
  // or, for the row AIOS wrote itself when it created the event (external id = the bare href), by UID.
  const idByExternal = new Map(gone.map((r) => [r.external_id, r.id]));
  const idByUid = new Map(gone.filter((r) => r.external_id === resource).map((r) => [r.uid, r.id]));
  for (const e of p.events ?? []) {
    const externalId = `${resource}#${e.key}`;
    await tx
      .insertInto('calendar_events')
      .values({
        id: idByExternal.get(externalId) ?? (e.recurrenceId ? undefined : idByUid.get(e.uid)) ?? newId('cal'), tenant_id: ctx.tenantId, connection_id: ctx.connectionId, source, external_id: externalId,
        uid: e.uid, etag: p.etag ?? null, summary: e.summary, description: e.description, location: e.location,
        starts_at: e.start, ends_at: e.end, all_day: e.allDay, time_zone: e.timeZone, status: e.status, rrule: e.rrule,
        attendees: JSON.stringify(e.attendees ?? []), raw_ics: e.raw, updated_at: sql`now()`,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'source', 'external_id']).doNothing())
      .execute();
  }
}
