import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, insertTenant, type TestDatabase } from '../../../test/support/test-db.js';
import { appendEvent } from '../../connection/events.js';
import { listTriaged, recordTriage, relabelTriage, RelabelError, TriageModels } from './triage-store.js';
import type { TriageEmail } from './features.js';

let t: TestDatabase;
let tenantId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  tenantId = await insertTenant(t.db, 'triage-store', '+15550005005');
});
afterAll(() => t?.close());

const mail = (from: string): TriageEmail => ({ from, fromName: null, subject: 'Quote for a new kitchen', text: 'How much would a new kitchen cost?' });
async function triaged(from: string, key: string) {
  const { event } = await appendEvent(t.db, { tenantId, source: 'imap', type: 'email.received', dedupKey: key, occurredAt: new Date(), payload: {} });
  return recordTriage(t.db, { tenantId, eventId: event.id, connectionId: null, messageId: `<${key}@x>`, from, subject: 'Quote', category: 'lead', reason: 'words: x', source: 'classifier', confidence: 0.7, runId: null });
}

describe('triage store', () => {
  it('one row per mail; a relabel is a correction (once), the model follows each one incrementally', async () => {
    const a = await triaged('a@friends.example', 's1');
    expect((await triaged('a@friends.example', 's1')).id).toBe(a.id);
    const models = new TriageModels();
    const m0 = await models.forTenant(t.db, tenantId);
    expect(m0.classify(mail('a@friends.example')).category).toBe('lead');

    const r = await t.db.transaction().execute((tx) => relabelTriage(tx, tenantId, a.id, 'personal', async () => mail('a@friends.example'), 'owner:1'));
    expect(r).toMatchObject({ changed: true, previous: 'lead', row: { category: 'personal', source: 'owner', confidence: 1 } });
    const again = await t.db.transaction().execute((tx) => relabelTriage(tx, tenantId, a.id, 'personal', async () => mail('a@friends.example'), 'owner:1'));
    expect(again.changed).toBe(false);
    const m1 = await models.forTenant(t.db, tenantId);
    expect(m1).toBe(m0);
    expect(m1.classify(mail('a@friends.example'))).toMatchObject({ category: 'personal', by: 'rule' });

    const b = await triaged('b@vendor.example', 's2');
    await t.db.transaction().execute((tx) => relabelTriage(tx, tenantId, b.id, 'vendor', async () => mail('b@vendor.example'), 'owner:1'));
    const m2 = await models.forTenant(t.db, tenantId);
    expect(m2).toBe(m0);
    expect(m2.classify(mail('b@vendor.example')).category).toBe('vendor');
    // A fresh process rebuilds from the stored corrections and agrees.
    const fresh = await new TriageModels().forTenant(t.db, tenantId);
    expect(fresh.classify(mail('a@friends.example')).category).toBe('personal');
    expect(fresh.classify(mail('b@vendor.example')).category).toBe('vendor');

    expect((await listTriaged(t.db, tenantId, { category: 'vendor' })).map((x) => x.id)).toEqual([b.id]);
    await expect(t.db.transaction().execute((tx) => relabelTriage(tx, tenantId, 'tri_nope', 'spam', async () => mail('x@y.z'), 'owner:1'))).rejects.toBeInstanceOf(RelabelError);
    await expect(t.db.transaction().execute((tx) => relabelTriage(tx, tenantId, a.id, 'junk', async () => mail('x@y.z'), 'owner:1'))).rejects.toThrow(/not a triage category/);
  });
});
