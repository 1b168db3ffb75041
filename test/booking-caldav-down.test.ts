import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer } from 'node:net';
import { startHarness, BOOKING_POLICY, eventually, type Harness } from './support/harness.js';
import { ManualClock } from '../src/core/clock.js';
import { newId } from '../src/core/ids.js';
import { createConnection } from '../src/connection/framework/connections.js';
import { caldavConnector } from '../src/connection/calendar/caldav-connector.js';
import { APPOINTMENT_REQUESTED, holdSlot } from '../src/autonomy/booking/booking-api.js';

/**
 * The business's CalDAV server is down: the booking waits and retries durably, the customer is
 * told the time is pending — never that it is confirmed — and when the retries run out the hold is
 * given up and the customer is told it is not booked.
 */
const PHONE = '+14165550600';
const POLICY = BOOKING_POLICY;
const TENANT = `slug: down
name: Ace Plumbing
time_zone: America/Toronto
phone: "${PHONE}"
owner:
  name: Sam
profile:
  tone: friendly
booking:
  service_name: Plumbing visit
  min_notice_minutes: 60
playbooks:
  appointment:
    check_every_seconds: 0.2
    calendar_retry_seconds: [0.3, 0.3, 0.3]
`;
const clock = new ManualClock('2026-12-01T14:00:00Z');
let h: Harness;

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  h = await startHarness([{ slug: 'down', phone: PHONE, policy: POLICY, files: { 'tenant.yaml': TENANT } }], { clock });
});
afterAll(() => h?.stop());

describe('booking while the CalDAV server is down', () => {
  it('retries durably, says "pending" once, never "confirmed", and gives the slot up after the last retry', async () => {
    const tenant = h.aios.tenants.bySlugOrThrow('down');
    const port = await closedPort();
    await createConnection(h.aios.db, h.aios.services.secretBox, {
      tenantId: tenant.id, kind: 'caldav', name: 'shop calendar', connector: caldavConnector,
      credentials: { serverUrl: `http://127.0.0.1:${port}/`, username: 'u', password: 'p', calendarUrl: `http://127.0.0.1:${port}/u/cal/` },
    });
    const customer = '+14165550601';
    const contactId = newId('ct');
    await h.aios.db.insertInto('contacts').values({ id: contactId, tenant_id: tenant.id, phone: customer }).execute();
    const held = await holdSlot(h.aios.db, tenant, { contactId, start: '2026-12-03T15:00:00Z', channel: 'sms', address: customer, key: 'down-1', now: clock.now() });
    if (!held.ok) throw new Error('hold failed');
    const signal = await h.aios.db
      .insertInto('signals')
      .values({ id: newId('sig'), tenant_id: tenant.id, kind: APPOINTMENT_REQUESTED, subject: customer, dedup_key: `appointment:${held.holdId}`, data: JSON.stringify({ holdId: held.holdId, contactId, channel: 'sms', address: customer }) })
      .returningAll()
      .executeTakeFirstOrThrow();
    const [runId] = await h.aios.host.dispatchSignal(signal);
    const texts = () => h.sink.messages.filter((m) => m.to === customer).map((m) => m.body);

    const pending = await eventually(async () => texts()[0], 10_000, 'pending text');
    expect(pending).toBe('Thanks! Your Plumbing visit on Thu, Dec 3, 10:00 a.m. is pending: we are putting it on our calendar and will text you once it is confirmed.');
    // While it retries the slot stays held for this customer (booked, not confirmed).
    expect((await h.aios.db.selectFrom('bookings').select('status').where('id', '=', held.holdId).executeTakeFirstOrThrow()).status).toBe('booked');

    await eventually(async () => (await h.aios.db.selectFrom('runs').select('status').where('id', '=', runId!).executeTakeFirstOrThrow()).status === 'completed', 15_000, 'run gave up');
    expect(texts()).toEqual([pending, 'Sorry, we could not confirm your Plumbing visit on Thu, Dec 3, 10:00 a.m.; it is not booked. The owner will get back to you.']);
    expect(texts().some((t) => /confirmed:/i.test(t))).toBe(false);
    const run = await h.aios.db.selectFrom('runs').select('summary').where('id', '=', runId!).executeTakeFirstOrThrow();
    expect(run.summary).toMatch(/not confirmed: calendar unreachable/);
    const outbox = await h.aios.db.selectFrom('outbox').select(['channel', 'status', 'attempts']).where('tenant_id', '=', tenant.id).where('channel', '=', 'calendar').executeTakeFirstOrThrow();
    expect(outbox.attempts).toBe(4); // first try + three retries
    expect((await h.aios.db.selectFrom('bookings').select('status').where('id', '=', held.holdId).executeTakeFirstOrThrow()).status).toBe('cancelled');
    expect(await h.aios.db.selectFrom('calendar_events').select('id').where('tenant_id', '=', tenant.id).execute()).toEqual([]);
  });
});
