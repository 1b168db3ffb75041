import { z } from '@hono/zod-openapi';

/** An invoice with its chase. */
export const InvoiceSchema = z.object({
  id: z.string(), number: z.string().nullable(), source: z.string(), status: z.string(), currency: z.string(),
  amountCents: z.number().int(), paidCents: z.number().int(), balanceCents: z.number().int(), dueAt: z.string().nullable(),
  customerName: z.string().nullable(), customerEmail: z.string().nullable(),
  chase: z.object({ status: z.enum(['active', 'paid', 'void', 'stopped', 'finished', 'skipped']), runId: z.string(), reminders: z.number().int(), lastReminderAt: z.string().nullable() }).nullable(),
}).openapi('Invoice');

/** `POST /invoices/{id}/paid` answer. */
export const InvoicePaidSchema = z.object({ invoiceId: z.string(), status: z.literal('paid'), chaseStopped: z.boolean(), alreadyPaid: z.boolean() }).openapi('InvoicePaid');
