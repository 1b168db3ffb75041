import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, insertTenant, type TestDatabase } from '../../../test/support/test-db.js';
import { eventToJson, parseIcs } from './parse-ics.js';
import { fileCalendarItem } from './file-events.js';
import { busyTimes, RECURRENCE_QUARANTINE_SOURCE } from './busy-times.js';
import { warmRecurrenceWorkers } from './bounded-expansion.js';
import './tables.js';

/** busyTimes over rows stored the way a CalDAV poll stores them (parseIcs → fileCalendarItem). */

const cal = (...parts: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//aios//test//EN', ...parts, 'END:VCALENDAR', ''].join('\r\n');
const iso = (d: Date) => d.toISOString().replace('.000', '');

describe('busyTimes with recurring events', () => {
  let t: TestDatabase;
  let tenantId: string;
  const store = async (href: string, text: string) => {
    const parsed = parseIcs(text, { defaultTimeZone: 'America/Toronto' });
    expect(parsed.quarantined).toEqual([]);
    await fileCalendarItem(t.db, { externalId: `${href}#1`, type: 'calendar.event.created', occurredAt: new Date(), payload: { href, etag: '"1"', events: parsed.events.map(eventToJson) } }, { tenantId, connectionId: 'conn_cal' });
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    tenantId = await insertTenant(t.db, 'busy', '+14165550122', 'America/Toronto');
    await t.db.insertInto('connections').values({ id: 'conn_cal', tenant_id: tenantId, kind: 'caldav', name: 'Calendar', credentials_encrypted: null, cursor: '{}' }).execute();
    await warmRecurrenceWorkers();
    // Weekly Monday 09:00–09:30 Toronto from Feb 23 (before the window), forever. Mar 16 is an
    // EXDATE; Mar 23 moved to Tue Mar 24 14:00; Mar 30 cancelled by its override.
    await store(
      '/cal/standup.ics',
      cal(
        'BEGIN:VEVENT', 'UID:standup', 'DTSTAMP:20260101T000000Z', 'DTSTART;TZID=America/Toronto:20260223T090000', 'DTEND;TZID=America/Toronto:20260223T093000',
        'RRULE:FREQ=WEEKLY;BYDAY=MO', 'EXDATE;TZID=America/Toronto:20260316T090000', 'SUMMARY:Standup', 'END:VEVENT',
        'BEGIN:VEVENT', 'UID:standup', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID;TZID=America/Toronto:20260323T090000', 'DTSTART;TZID=America/Toronto:20260324T140000',
        'DTEND;TZID=America/Toronto:20260324T143000', 'SUMMARY:Standup (moved)', 'END:VEVENT',
        'BEGIN:VEVENT', 'UID:standup', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID;TZID=America/Toronto:20260330T090000', 'DTSTART;TZID=America/Toronto:20260330T090000',
        'DTEND;TZID=America/Toronto:20260330T093000', 'STATUS:CANCELLED', 'END:VEVENT',
      ),
    );
    // All-day, two Saturdays: local midnight to midnight (the first one ends in EST, before DST).
    await store('/cal/closed.ics', cal('BEGIN:VEVENT', 'UID:closed', 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20260307', 'DTEND;VALUE=DATE:20260308', 'RRULE:FREQ=WEEKLY;COUNT=2', 'SUMMARY:Closed', 'END:VEVENT'));
    await store('/cal/visit.ics', cal('BEGIN:VEVENT', 'UID:visit', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260305T150000Z', 'DTEND:20260305T160000Z', 'SUMMARY:Visit', 'END:VEVENT'));
    await store('/cal/hostile.ics', cal('BEGIN:VEVENT', 'UID:hostile', 'DTSTAMP:20260101T000000Z', 'DTSTART:19260101T000000Z', 'DURATION:PT1S', 'RRULE:FREQ=SECONDLY;UNTIL=21260101T000000Z', 'END:VEVENT'));
  }, 60_000);
  afterAll(() => t.close());

  it('expands masters in the window with EXDATE, moved and cancelled overrides, all-day dates and DST; quarantines the hostile one', async () => {
    // A generous time budget: this test is about what counts as busy (the budget has its own tests).
    const r = await busyTimes(t.db, tenantId, new Date('2026-03-01T00:00:00Z'), new Date('2026-04-10T00:00:00Z'), { budget: { maxMs: 1000 } });
    expect(r.busy.map((b) => [iso(b.start), iso(b.end)])).toEqual([
      ['2026-03-02T14:00:00Z', '2026-03-02T14:30:00Z'], // 09:00 EST
      ['2026-03-05T15:00:00Z', '2026-03-05T16:00:00Z'], // the single visit
      ['2026-03-07T05:00:00Z', '2026-03-08T05:00:00Z'], // Saturday, EST midnight to midnight
      ['2026-03-09T13:00:00Z', '2026-03-09T13:30:00Z'], // 09:00 EDT after the change
      ['2026-03-14T04:00:00Z', '2026-03-15T04:00:00Z'], // Saturday, EDT
      ['2026-03-24T18:00:00Z', '2026-03-24T18:30:00Z'], // Mar 23 moved to Tue 14:00 EDT; Mar 16 EXDATE, Mar 30 cancelled
      ['2026-04-06T13:00:00Z', '2026-04-06T13:30:00Z'],
    ]);
    const hostile = await t.db.selectFrom('calendar_events').select('id').where('uid', '=', 'hostile').executeTakeFirstOrThrow();
    expect(r.quarantined).toEqual([{ eventId: hostile.id, uid: 'hostile', reason: expect.stringMatching(/over budget/) }]);
    const q = await t.db.selectFrom('quarantine').selectAll().where('tenant_id', '=', tenantId).execute();
    expect(q).toMatchObject([{ source: RECURRENCE_QUARANTINE_SOURCE, external_id: '/cal/hostile.ics#hostile', reason: expect.stringMatching(/over budget/) }]);
  }, 30_000);

  it('keeps a cancelled series out, its moved occurrences too', async () => {
    await t.db.updateTable('calendar_events').set({ status: 'cancelled' }).where('uid', '=', 'closed').execute();
    let r = await busyTimes(t.db, tenantId, new Date('2026-03-06T00:00:00Z'), new Date('2026-03-16T00:00:00Z'), { budget: { maxMs: 1000 } });
    expect(r.busy.map((b) => iso(b.start))).toEqual(['2026-03-09T13:00:00Z']);
    await t.db.updateTable('calendar_events').set({ status: 'cancelled' }).where('uid', '=', 'standup').where('rrule', 'is not', null).execute();
    r = await busyTimes(t.db, tenantId, new Date('2026-03-20T00:00:00Z'), new Date('2026-04-10T00:00:00Z'), { budget: { maxMs: 1000 } });
    expect(r.busy).toEqual([]);
  }, 30_000);
});
