import { Hono } from 'hono';
import type { Services, Vars } from './services.js';
import { requireScope } from './require-scope.js';
import { listInvoices, markInvoicePaid } from '../../autonomy/invoices/invoice-api.js';
import { audit } from '../../records/audit.js';
import { InputError } from '../../core/errors.js';

const STATUSES = ['unpaid', 'draft', 'open', 'paid', 'void', 'uncollectible', 'overdue'];

/**
 * Invoices over HTTP (under `/api/v1/invoices`, bearer-authenticated, tenant-scoped).
 * `GET /?status=unpaid|open|paid|…&limit=N` lists invoices with their chase (`read`).
 * `POST /:id/paid` marks one paid (`decide`, audited): the chase run stops and writes the ledger.
 */
export function invoiceRoutes(s: Services): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();

  app.get('/', requireScope('read'), async (c) => {
    const status = c.req.query('status');
    if (status && !STATUSES.includes(status)) throw new InputError(`unknown status "${status}"`, { fix: `Use one of: ${STATUSES.join(', ')}.` });
    const limit = Number(c.req.query('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new InputError('limit must be an integer from 1 to 500', { fix: 'Pass ?limit=100 or leave it out.' });
    return c.json({ invoices: await listInvoices(s.db, c.get('tenantId'), { status, limit }) });
  });

  app.post('/:id/paid', requireScope('decide'), async (c) => {
    const tenantId = c.get('tenantId');
    const id = c.req.param('id');
    const r = await markInvoicePaid(s.db, tenantId, id, s.clock.now());
    if (!r.alreadyPaid) await audit(s.db, tenantId, c.get('actor'), 'invoice.marked_paid', id, { chaseStopped: r.chaseStopped });
    return c.json(r);
  });
  return app;
}
