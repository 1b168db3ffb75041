import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Services, Vars } from './services.js';
import { authResponses, errorResponseDoc, jsonResponse, openApiApp, scoped } from './openapi-app.js';
import { listUpcomingBookings, sendBookingMessage, type BookingMessage } from '../../autonomy/booking/booking-messages.js';
import { audit } from '../../records/audit.js';
import { IdParam } from './schemas/common.js';
import { BookingRequestedSchema, BookingSchema } from './schemas/booking.js';

/**
 * Bookings over HTTP (under `/api/v1/bookings`, bearer-authenticated, tenant-scoped).
 * `GET /` lists upcoming bookings (`read`). Marking a job done, a no-show, or cancelling it is
 * the owner's call (`decide`): each is a message to the booking's appointment run, which does the
 * rest (deal, ledger, `job_done`, the customer's text); the answer is 202 with the run id.
 */
export function bookingRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Send no body: the path says what to do.');

  app.openapi(createRoute({
    method: 'get', path: '/', summary: 'Upcoming bookings', ...scoped('read'),
    responses: { 200: jsonResponse(z.object({ bookings: z.array(BookingSchema) }), 'upcoming bookings, soonest first'), ...authResponses('read') },
  }), async (c) => {
    const tenant = s.tenants.get(c.get('tenantId'));
    return c.json({ bookings: await listUpcomingBookings(s.db, tenant, s.clock.now()) }, 200);
  });

  const act = (path: string, type: Extract<BookingMessage['type'], 'done' | 'no_show' | 'cancel'>, summary: string) =>
    app.openapi(createRoute({
      method: 'post', path: `/{id}/${path}`, summary, ...scoped('decide'),
      request: { params: IdParam },
      responses: {
        202: jsonResponse(BookingRequestedSchema, 'the booking\'s run does the rest'), 404: errorResponseDoc('no such booking in your business'),
        409: errorResponseDoc('not an upcoming booking (held, cancelled or over)'), ...authResponses('decide'),
      },
    }), async (c) => {
      const tenantId = c.get('tenantId');
      const id = c.req.valid('param').id;
      const sent = await sendBookingMessage(s.db, tenantId, id, { type });
      await audit(s.db, tenantId, c.get('actor'), `booking.${type}`, id, { runId: sent.runId });
      return c.json({ ...sent, requested: type }, 202);
    });
  act('done', 'done', 'Mark the job done (deal won, ledger, the customer\'s thank-you)');
  act('no-show', 'no_show', 'Mark a no-show');
  act('cancel', 'cancel', 'Cancel the booking (the customer is told)');
  return app;
}
