import { z } from '@hono/zod-openapi';

/** An upcoming booking. */
export const BookingSchema = z.object({
  id: z.string(), start: z.string(), end: z.string(), label: z.string().openapi({ description: 'when, in the business\'s time zone' }),
  status: z.enum(['pending', 'confirmed']), contactId: z.string(), name: z.string().nullable(), channel: z.string(), address: z.string(),
  need: z.string().nullable(), runId: z.string().nullable(),
}).openapi('Booking');

/** `POST /bookings/{id}/done|no-show|cancel` answer: the booking's run does the rest. */
export const BookingRequestedSchema = z.object({ bookingId: z.string(), runId: z.string(), requested: z.enum(['done', 'no_show', 'cancel']) }).openapi('BookingRequested');
