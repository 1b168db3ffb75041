import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { requireServices } from './services.js';
import { startHarness, eventually, AUTO_POLICY, type Harness } from '../support/harness.js';

/** CalDAV through AIOS against the real Radicale: connect, sync, and events land in calendar_events. */
const BASE = 'http://127.0.0.1:5232';
const CAL = `${BASE}/test/aios-intake-${process.pid}/`;
const auth = { authorization: `Basic ${Buffer.from('test:x').toString('base64')}` };
let h: Harness;
let token: string;

const ics = (uid: string, summary: string, start: string) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//AIOS test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20261101T120000Z', `DTSTART;TZID=America/Toronto:${start}`, 'DURATION:PT1H', `SUMMARY:${summary}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

beforeAll(async () => {
  await requireServices(['radicale']);
  const mk = await fetch(CAL, {
    method: 'MKCALENDAR',
    headers: { ...auth, 'content-type': 'application/xml' },
    body: '<?xml version="1.0"?><c:mkcalendar xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><d:displayname>AIOS intake</d:displayname></d:prop></d:set></c:mkcalendar>',
  });
  expect(mk.status).toBe(201);
  for (const [uid, s, t] of [['job-1', 'Furnace service — Patel', '20261202T090000'], ['job-2', 'Drain cleaning — Ng', '20261203T140000']] as const) {
    const put = await fetch(`${CAL}${uid}.ics`, { method: 'PUT', headers: { ...auth, 'content-type': 'text/calendar' }, body: ics(uid, s, t) });
    expect(put.status).toBe(201);
  }
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
  token = h.aios.cliTokens.get('acme')!;
});
afterAll(async () => {
  await h?.stop();
  await fetch(CAL, { method: 'DELETE', headers: auth }).catch(() => undefined);
});

describe('CalDAV intake through AIOS', () => {
  it('syncs events into calendar_events and follows a deletion', async () => {
    const r = await h.api(token, 'POST', '/api/v1/connections', { kind: 'caldav', name: 'jobs', credentials: { serverUrl: `${BASE}/`, username: 'test', password: 'x', calendarUrl: CAL, timeZone: 'America/Toronto' } });
    expect(r.status).toBe(201);
    const tid = h.aios.tenants.bySlugOrThrow('acme').id;
    const rows = await eventually(async () => {
      const x = await h.aios.db.selectFrom('calendar_events').selectAll().where('tenant_id', '=', tid).orderBy('starts_at').execute();
      return x.length === 2 ? x : undefined;
    }, 20_000, 'two synced events');
    expect(rows[0]!.summary).toBe('Furnace service — Patel');
    expect(rows[0]!.starts_at.toISOString()).toBe('2026-12-02T14:00:00.000Z'); // 09:00 EST
    await fetch(`${CAL}job-2.ics`, { method: 'DELETE', headers: auth });
    await h.aios.services.connectors.pollNow(r.json.connection.id);
    await eventually(async () => (await h.aios.db.selectFrom('calendar_events').select('id').where('tenant_id', '=', tid).execute()).length === 1, 20_000, 'the deletion');
  });
});
