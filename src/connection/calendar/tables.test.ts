import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, insertTenant, type TestDatabase } from '../../../test/support/test-db.js';
import './tables.js';

describe('calendar_events table', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await insertTenant(t.db, 'cal', '+14165550111');
  });
  afterAll(() => t.close());

  it('upserts on (tenant, source, external id) and keeps attendees as JSON', async () => {
    const row = { id: 'ce_1', tenant_id: 'tn_cal', connection_id: null, source: 'caldav' as const, external_id: '/test/cal/a.ics', uid: 'a', etag: '"1"', summary: 'Visit', description: null, location: null, starts_at: new Date('2026-03-09T13:00:00Z'), ends_at: new Date('2026-03-09T14:00:00Z'), time_zone: 'America/Toronto', rrule: null, attendees: JSON.stringify([{ email: 'ann@example.com' }]), raw_ics: null };
    await t.db.insertInto('calendar_events').values(row).execute();
    await t.db.insertInto('calendar_events').values({ ...row, id: 'ce_2', etag: '"2"', status: 'cancelled' }).onConflict((oc) => oc.columns(['tenant_id', 'source', 'external_id']).doUpdateSet({ etag: '"2"', status: 'cancelled' })).execute();
    const rows = await t.db.selectFrom('calendar_events').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: 'ce_1', etag: '"2"', status: 'cancelled', all_day: false, attendees: [{ email: 'ann@example.com' }] });
    await expect(t.db.insertInto('calendar_events').values({ ...row, id: 'ce_3', external_id: 'x', ends_at: new Date('2026-03-09T12:00:00Z') }).execute()).rejects.toThrow(/check/);
  });
});
