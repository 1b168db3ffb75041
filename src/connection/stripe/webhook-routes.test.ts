import { describe, it, expect, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, insertTenant } from '../../../test/support/test-db.js';
import { SecretBox } from '../framework/secret-box.js';
import { createConnection } from '../framework/connections.js';
import { listQuarantine } from '../framework/quarantine.js';
import { stripeSignature } from './signature.js';
import { stripeWebhookRoutes } from './webhook-routes.js';

const t = await createTestDatabase();
afterAll(() => t.close());
const tid = await insertTenant(t.db, 'stripeco', '+14165550200');
const box = new SecretBox(randomBytes(32));
const secret = 'whsec_route_test';
const conn = await createConnection(t.db, box, { tenantId: tid, kind: 'stripe', name: 'Stripe', credentials: { webhookSecret: secret } });
const nowS = 1_740_000_000;
const tasks: Promise<void>[] = [];
const silent = { info() {}, warn() {}, error() {} };
const app = stripeWebhookRoutes({ db: t.db, box, log: silent, now: () => new Date(nowS * 1000), defer: (task) => void tasks.push(task()) });
await t.db.insertInto('contacts').values({ id: 'ct_ann', tenant_id: tid, name: 'Ann', email: 'Ann@Example.com', phone: '+14165550111' }).execute();

async function deliver(body: string, opts: { sig?: string | null; ts?: number; secret?: string } = {}) {
  const ts = opts.ts ?? nowS;
  const sig = opts.sig === undefined ? `t=${ts},v1=${stripeSignature(opts.secret ?? secret, ts, body)}` : opts.sig;
  const res = await app.request(`/hooks/stripe/${conn.id}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(sig ? { 'stripe-signature': sig } : {}) } });
  await Promise.all(tasks.splice(0));
  return res;
}
const invoiceEvent = (id: string, type: string, created: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({
    id,
    type,
    created,
    data: { object: { id: 'in_1', object: 'invoice', number: 'INV-0001', status: 'open', currency: 'cad', total: 12500, amount_due: 12500, amount_paid: 0, due_date: nowS + 86400, created: nowS - 100, customer_email: 'ann@example.com', customer_name: 'Ann', ...over } },
  });
const events = () => t.db.selectFrom('events').selectAll().where('tenant_id', '=', tid).where('source', '=', 'stripe').execute();

describe('POST /hooks/stripe/:connectionId', () => {
  it('refuses bad signatures and stores nothing', async () => {
    const body = invoiceEvent('evt_bad', 'invoice.created', nowS);
    expect((await deliver(body, { sig: null })).status).toBe(400);
    expect((await deliver(body, { ts: nowS - 301 })).status).toBe(400);
    expect((await deliver(body, { ts: nowS + 301 })).status).toBe(400);
    expect((await deliver(body, { secret: 'whsec_wrong' })).status).toBe(400);
    const tampered = await app.request(`/hooks/stripe/${conn.id}`, { method: 'POST', body: body.replace('12500', '1'), headers: { 'stripe-signature': `t=${nowS},v1=${stripeSignature(secret, nowS, body)}` } });
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toMatchObject({ error: 'bad_signature', fix: expect.stringMatching(/signing secret/) });
    expect(await events()).toHaveLength(0);
    expect((await app.request('/hooks/stripe/conn_nope', { method: 'POST', body })).status).toBe(404);
  });

  it('accepts a delivery with several v1 values when one is valid', async () => {
    const body = invoiceEvent('evt_multi', 'invoice.created', nowS - 50);
    const res = await deliver(body, { sig: `t=${nowS},v1=${'0'.repeat(64)},v1=${stripeSignature(secret, nowS, body)}` });
    expect(res.status).toBe(200);
    const inv = await t.db.selectFrom('invoices').selectAll().where('tenant_id', '=', tid).where('external_ref', '=', 'in_1').executeTakeFirstOrThrow();
    expect(inv).toMatchObject({ status: 'open', currency: 'CAD', amount_cents: '12500', number: 'INV-0001', contact_id: 'ct_ann', source: 'stripe' });
  });

  it('invoice.paid updates the invoice; a duplicate delivery makes one event; an older event does not regress it', async () => {
    const paid = invoiceEvent('evt_paid', 'invoice.paid', nowS - 10, { status: 'paid', amount_paid: 12500, status_transitions: { paid_at: nowS - 10 } });
    expect((await deliver(paid)).status).toBe(200);
    const dup = await deliver(paid);
    expect(await dup.json()).toMatchObject({ duplicate: true });
    expect((await events()).filter((e) => e.dedup_key === 'stripe:evt_paid')).toHaveLength(1);
    await deliver(invoiceEvent('evt_old', 'invoice.finalized', nowS - 40));
    const inv = await t.db.selectFrom('invoices').selectAll().where('external_ref', '=', 'in_1').executeTakeFirstOrThrow();
    expect(inv).toMatchObject({ status: 'paid', amount_paid_cents: '12500' });
    expect(inv.paid_at?.getTime()).toBe((nowS - 10) * 1000);
  });

  it('invoice.overdue and payment_intent.succeeded; unknown types are events only', async () => {
    await deliver(JSON.stringify({ id: 'evt_od', type: 'invoice.overdue', created: nowS, data: { object: { id: 'in_2', currency: 'usd', amount_due: 900, status: 'open' } } }));
    expect((await t.db.selectFrom('invoices').select(['status', 'currency']).where('external_ref', '=', 'in_2').executeTakeFirstOrThrow())).toEqual({ status: 'overdue', currency: 'USD' });
    await deliver(JSON.stringify({ id: 'evt_pi', type: 'payment_intent.succeeded', created: nowS, data: { object: { id: 'pi_1', amount: 12500, amount_received: 12500, currency: 'cad', created: nowS, invoice: 'in_1' } } }));
    const pay = await t.db.selectFrom('payments').selectAll().where('external_ref', '=', 'pi_1').executeTakeFirstOrThrow();
    expect(pay).toMatchObject({ amount_cents: '12500', currency: 'CAD', source: 'stripe' });
    expect(pay.invoice_id).not.toBeNull();
    expect((await deliver(JSON.stringify({ id: 'evt_cust', type: 'customer.created', created: nowS, data: { object: { id: 'cus_1' } } }))).status).toBe(200);
    expect((await events()).find((e) => e.dedup_key === 'stripe:evt_cust')?.type).toBe('stripe.customer.created');
  });

  it('malformed JSON and unusable objects are quarantined with the reason', async () => {
    expect((await deliver('{"id": "evt_x", ')).status).toBe(200);
    await deliver(JSON.stringify({ id: 'evt_noamt', type: 'invoice.created', created: nowS, data: { object: { id: 'in_3', currency: 'cad' } } }));
    const q = await listQuarantine(t.db, tid);
    expect(q.find((r) => r.reason.startsWith('malformed JSON'))).toMatchObject({ source: 'stripe', connection_id: conn.id });
    expect(q.find((r) => r.external_id === 'evt_noamt')?.reason).toMatch(/amount_due/);
  });
});
