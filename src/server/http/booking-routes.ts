import { Hono } from 'hono';
import type { Services, Vars } from './services.js';
import { requireScope } from './require-scope.js';
import { listUpcomingBookings, sendBookingMessage, type BookingMessage } from '../../autonomy/booking/booking-messages.js';
import { audit } from '../../records/audit.js';

/**
 * Bookings over HTTP (under `/api/v1/bookings`, bearer-authenticated, tenant-scoped).
 * `GET /` lists upcoming bookings (`read`). Marking a job done, a no-show, or cancelling it is
 * the owner's call (`decide`): each is a message to the booking's appointment run, which does the
 * rest (deal, ledger, `job_done`, the customer's text); the answer is 202 with the run id.
 */
export function bookingRoutes(s: Services): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();

  app.get('/', requireScope('read'), async (c) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    return c.json({ bookings: await listUpcomingBookings(s.db, tenant, s.clock.now()) });
  });

  const act = (path: string, type: BookingMessage['type']) =>
    app.post(`/:id/${path}`, requireScope('decide'), async (c) => {
      const tenantId = c.get('tenantId');
      const id = c.req.param('id');
      const sent = await sendBookingMessage(s.db, tenantId, id, { type });
      await audit(s.db, tenantId, c.get('actor'), `booking.${type}`, id, { runId: sent.runId });
      return c.json({ ...sent, requested: type }, 202);
    });
  act('done', 'done');
  act('no-show', 'no_show');
  act('cancel', 'cancel');
  return app;
}
