import { describe, it, expect, afterAll } from 'vitest';
import { createTestDatabase, insertTenant } from '../../test/support/test-db.js';
import { upsertContactByPhone } from './contacts.js';
import { upsertContactByEmail } from './contacts-email.js';
import { quotableName } from './contact-names.js';

const t = await createTestDatabase();
afterAll(() => t.close());
const tid = await insertTenant(t.db, 'namesco', '+14165550900');
const up = (phone: string, name: string, nameSource: 'visitor' | 'caller_id' | 'form' | 'import') => upsertContactByPhone(t.db, tid, phone, { name, source: 'test', nameSource });

describe('contact names by source: who may set or replace a name', () => {
  it('a visitor fills an empty name (unverified, never quoted) but never replaces one', async () => {
    const { contact } = await up('+14165550901', 'Mallory', 'visitor');
    expect(contact).toMatchObject({ name: 'Mallory', name_source: 'visitor', name_verified: false });
    expect(quotableName(contact)).toBeNull();
    const again = await up('+14165550901', 'Eve', 'visitor');
    expect(again.contact.name).toBe('Mallory');
  });

  it('caller ID and the business form replace a visitor name; a form name is quotable', async () => {
    expect((await up('+14165550901', 'Sam Lee', 'caller_id')).contact).toMatchObject({ name: 'Sam Lee', name_source: 'caller_id' });
    const { contact } = await up('+14165550901', 'Samuel Lee', 'form');
    expect(contact).toMatchObject({ name: 'Samuel Lee', name_source: 'form', name_verified: false });
    expect(quotableName(contact)).toBe('Samuel Lee');
    expect((await up('+14165550901', 'SAM', 'caller_id')).contact.name).toBe('Samuel Lee');
  });

  it('an imported (verified) name is replaced by neither a form nor caller ID; names are cleaned on the way in', async () => {
    await up('+14165550902', 'Priya Shah', 'import');
    expect((await up('+14165550902', 'Someone Else', 'form')).contact).toMatchObject({ name: 'Priya Shah', name_verified: true });
    expect((await up('+14165550903', 'evil.example/verify', 'form')).contact.name).toBeNull();
  });

  it('the same rules hold for contacts found by email', async () => {
    await upsertContactByEmail(t.db, tid, 'ana@example.com', { name: 'Ana', source: 'web_form' });
    const { contact } = await upsertContactByEmail(t.db, tid, 'ana@example.com', { name: 'Mallory', source: 'widget' });
    expect(contact).toMatchObject({ name: 'Ana', name_source: 'form' });
  });
});
