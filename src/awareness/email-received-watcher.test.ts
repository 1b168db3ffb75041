import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, insertTenant, type TestDatabase } from '../../test/support/test-db.js';
import { appendEvent } from '../connection/events.js';
import { fileInboundEmail } from '../records/email-messages.js';
import { onEmailReceived } from './email-received-watcher.js';

let t: TestDatabase;
let tenantId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  tenantId = await insertTenant(t.db, 'watch-mail', '+15550004004');
});
afterAll(() => t?.close());

async function filed(from: string, key: string) {
  const { event } = await appendEvent(t.db, { tenantId, source: 'imap', type: 'email.received', dedupKey: key, occurredAt: new Date(), payload: {} });
  const f = await fileInboundEmail(t.db, { tenantId, fromAddress: from, fromName: null, subject: 'Hi', text: 'Hello', messageId: `<${key}@x>`, eventId: event.id, at: new Date() });
  return { tenantId, eventId: event.id, connectionId: 'conn_1', messageId: `<${key}@x>`, from, subject: 'Hi', contactId: f.contactId, conversationId: f.conversationId, at: new Date() };
}

describe('email_received', () => {
  it('is raised once per mail, with the contract data', async () => {
    const e = await filed('Ana@Customer.example', 'a1');
    const first = await onEmailReceived(t.db, e, []);
    expect(first?.created).toBe(true);
    expect(first?.signal).toMatchObject({ kind: 'email_received', subject: 'ana@customer.example', dedup_key: `email_received:${e.eventId}` });
    expect(first?.signal.data).toEqual({ eventId: e.eventId, connectionId: 'conn_1', messageId: '<a1@x>', conversationId: e.conversationId, contactId: e.contactId, from: 'ana@customer.example', subject: 'Hi' });
    const again = await onEmailReceived(t.db, e, []);
    expect(again).toMatchObject({ created: false, signal: { id: first!.signal.id } });
  });

  it("is not raised for the business's own addresses (any case)", async () => {
    const e = await filed('sam@ace.example', 'a2');
    expect(await onEmailReceived(t.db, e, ['SAM@ace.example'])).toBeNull();
    const n = await t.db.selectFrom('signals').select('id').where('dedup_key', '=', `email_received:${e.eventId}`).execute();
    expect(n).toHaveLength(0);
  });
});
