import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { deal, invoice } from './support/back-office-rows.js';
import { newId } from '../src/core/ids.js';

/**
 * The back office's endpoints, tried the way an attacker would: another business's token sees and
 * changes nothing of this one (404, as for an id that does not exist), and no token is a 401.
 */
let h: Harness;
let acme: string;
let bolt: string;
const ids = { signal: '', invoice: '', deal: '' };

beforeAll(async () => {
  h = await startHarness([
    { slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY },
    { slug: 'bolt', phone: '+14165550200', policy: AUTO_POLICY },
  ]);
  acme = h.aios.cliTokens.get('acme')!;
  bolt = h.aios.cliTokens.get('bolt')!;
  const tid = h.aios.tenants.bySlugOrThrow('acme').id;
  ids.signal = newId('sig');
  await h.aios.db.insertInto('signals').values({ id: ids.signal, tenant_id: tid, kind: 'invoice_overdue', subject: 'x', dedup_key: `test:${ids.signal}`, data: '{}' }).execute();
  ids.invoice = await invoice(h.aios.db, tid, { dueAt: new Date(Date.now() + 30 * 86_400_000), email: 'pat@customer.example' });
  ids.deal = (await deal(h.aios.db, tid, 'pat@customer.example', 'quoted', new Date())).dealId;
});
afterAll(() => h?.stop());

describe("another business's token", () => {
  it('cannot see, snooze or dismiss the signals, mark the invoice paid, draft a proposal or list them', async () => {
    expect((await h.api(bolt, 'POST', `/api/v1/signals/${ids.signal}/snooze`, { for: '2d' })).status).toBe(404);
    expect((await h.api(bolt, 'POST', `/api/v1/signals/${ids.signal}/dismiss`, {})).status).toBe(404);
    expect((await h.api(bolt, 'POST', `/api/v1/invoices/${ids.invoice}/paid`, {})).status).toBe(404);
    expect((await h.api(bolt, 'POST', `/api/v1/deals/${ids.deal}/proposal`, {})).status).toBe(404);
    expect((await h.api(bolt, 'GET', '/api/v1/signals?status=all')).json.signals.map((s: { id: string }) => s.id)).not.toContain(ids.signal);
    expect((await h.api(bolt, 'GET', '/api/v1/invoices')).json.invoices).toEqual([]);
    // Nothing changed for the owner.
    const sig = await h.aios.db.selectFrom('signals').select(['status']).where('id', '=', ids.signal).executeTakeFirstOrThrow();
    expect(sig.status).not.toBe('dismissed');
    expect((await h.api(acme, 'GET', '/api/v1/invoices')).json.invoices.find((i: { id: string }) => i.id === ids.invoice)).toMatchObject({ status: 'open' });
  });

  it('no token: 401 on every back-office route', async () => {
    for (const [method, path] of [['GET', '/api/v1/signals'], ['GET', '/api/v1/emails'], ['GET', '/api/v1/invoices'], ['GET', '/api/v1/proposals'], ['GET', '/api/v1/playbooks'],
      ['POST', `/api/v1/invoices/${ids.invoice}/paid`], ['POST', '/api/v1/playbooks/invoice-chase/run'], ['POST', '/api/v1/playbooks/invoice-chase/shadow']] as const) {
      const res = await fetch(`${h.aios.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });
});
