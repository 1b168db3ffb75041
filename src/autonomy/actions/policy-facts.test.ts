import { describe, it, expect, afterAll } from 'vitest';
import { createTestDatabase, insertTenant } from '../../../test/support/test-db.js';
import { recipientFacts } from './policy-facts.js';
import { appendMessage } from '../../records/conversations.js';
import { upsertContactByPhone } from '../../records/contacts.js';

const t = await createTestDatabase();
afterAll(() => t.close());
const tid = await insertTenant(t.db, 'factsco', '+14165550900');
const NOW = new Date('2026-06-15T14:00:00Z');
const first = async (to: string) => (await recipientFacts(t.db, tid, to, NOW, 'America/Toronto', 'run:step')).isFirstContact;

describe('recipientFacts: first contact = never messaged by us and not a customer', () => {
  it('inbound messages (SMS, voicemail) do not make someone known; an outbound one does', async () => {
    await appendMessage(t.db, { tenantId: tid, channel: 'voice', address: '+14165550901', direction: 'inbound', body: 'Voicemail (20 s)' });
    await appendMessage(t.db, { tenantId: tid, channel: 'sms', address: '+14165550901', direction: 'inbound', body: 'hello?' });
    expect(await first('+14165550901')).toBe(true);
    await appendMessage(t.db, { tenantId: tid, channel: 'sms', address: '+14165550901', direction: 'outbound', body: 'Hi!' });
    expect(await first('+14165550901')).toBe(false);
  });

  it('a customer in the records is not a first contact: an invoice, or a deal past "new lead"', async () => {
    const { contact: inv } = await upsertContactByPhone(t.db, tid, '+14165550902', { source: 'sms' });
    await t.db.insertInto('invoices').values({ id: 'inv_1', tenant_id: tid, contact_id: inv.id, external_ref: 'INV-1', source: 'csv', status: 'paid', currency: 'CAD', amount_cents: 18000 }).execute();
    expect(await first('+14165550902')).toBe(false);
    const { contact: lead } = await upsertContactByPhone(t.db, tid, '+14165550903', { source: 'web_form' });
    await t.db.insertInto('deals').values({ id: 'deal_1', tenant_id: tid, contact_id: lead.id, title: 'Leak', stage: 'new lead' }).execute();
    expect(await first('+14165550903')).toBe(true);
    await t.db.updateTable('deals').set({ stage: 'won' }).where('id', '=', 'deal_1').execute();
    expect(await first('+14165550903')).toBe(false);
  });

  it("a sent outbox row counts, except this action's own (a re-run step)", async () => {
    await t.db.insertInto('outbox').values({ id: 'ob_1', tenant_id: tid, idempotency_key: 'run:step', kind: 'sms.send', channel: 'sms', recipient: '+14165550904', payload: '{}', status: 'sending' }).execute();
    expect(await first('+14165550904')).toBe(true);
    await t.db.insertInto('outbox').values({ id: 'ob_2', tenant_id: tid, idempotency_key: 'other:step', kind: 'sms.send', channel: 'sms', recipient: '+14165550904', payload: '{}', status: 'sent' }).execute();
    expect(await first('+14165550904')).toBe(false);
  });
});
