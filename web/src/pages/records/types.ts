/**
 * Shapes of the older list endpoints whose OpenAPI responses are still untyped (`Record<string,
 * never>` in schema.d.ts until the route files are converted to zod-openapi). Mirrors the server's
 * `InvoiceListItem`, `BookingListItem`, `signals` and `runs` rows.
 */
export interface Invoice {
  id: string; number: string | null; source: string; status: string; currency: string;
  amountCents: number; paidCents: number; balanceCents: number; dueAt: string | null;
  customerName: string | null; customerEmail: string | null;
  chase: { status: string; runId: string; reminders: number; lastReminderAt: string | null } | null;
}
export interface Booking {
  id: string; start: string; end: string; label: string; status: string; contactId: string;
  name: string | null; channel: string; address: string; need: string | null; runId: string | null;
}
export interface Signal {
  id: string; kind: string; subject: string; severity: string; status: string; data: Record<string, unknown>;
  run_id: string | null; occurrences: number; created_at: string; updated_at: string; snoozed_until: string | null; dismiss_reason: string | null;
}
export interface Run {
  id: string; playbook: string; version: number; status: 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled'; mode: 'live' | 'shadow';
  trigger_type: string; trigger_ref: string; waiting_for: string | null; summary: string | null; error: string | null;
  started_at: string; updated_at: string; finished_at: string | null;
}
export interface RunStep { seq: number; step_id: string; status: 'done' | 'failed' | 'waiting'; detail: unknown; started_at: string | null; finished_at: string | null }
export interface Contact { id: string; name: string | null; phone: string | null; email: string | null; source: string | null; created_at: string; opted_out_at: string | null }

/** Reads an untyped answer as `T` (see above). */
export function as<T>(data: unknown): T {
  return data as T;
}
