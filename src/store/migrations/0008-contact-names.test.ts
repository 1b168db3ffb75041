import { describe, it, expect, afterAll } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase } from '../../../test/support/test-db.js';
import { migrate } from '../db.js';

const t = await createTestDatabase({ migrate: false });
afterAll(() => t.close());

describe('0008-contact-names on a database that already has contacts', () => {
  it('classifies existing names by the contact source; imports are verified, widget names are unverified visitor names', async () => {
    await migrate(t.db, { before: '0008' });
    await sql`insert into tenants (id, slug, name, time_zone, phone) values ('tn_m', 'm', 'm', 'America/Toronto', '+14165550100')`.execute(t.db);
    await sql`insert into contacts (id, tenant_id, name, phone, source) values
      ('c1', 'tn_m', 'Priya', '+14165550001', 'csv:hubspot'), ('c2', 'tn_m', 'evil.example/x', '+14165550002', 'widget'),
      ('c3', 'tn_m', 'Ana', '+14165550003', 'web_form'), ('c4', 'tn_m', 'SAM', '+14165550004', 'missed_call'), ('c5', 'tn_m', null, '+14165550005', 'sms')`.execute(t.db);
    await migrate(t.db);
    const rows = await t.db.selectFrom('contacts').select(['id', 'name', 'name_source', 'name_verified']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'c1', name: 'Priya', name_source: 'import', name_verified: true },
      { id: 'c2', name: 'evil.example/x', name_source: 'visitor', name_verified: false },
      { id: 'c3', name: 'Ana', name_source: 'form', name_verified: false },
      { id: 'c4', name: 'SAM', name_source: 'caller_id', name_verified: false },
      { id: 'c5', name: null, name_source: null, name_verified: false },
    ]);
  });
});
