import { createHash } from 'node:crypto';
import type { TenantInfo } from '../records/tenants.js';
import type { Lead } from '../connection/forms/lead-input.js';
import { appendEvent } from '../connection/events.js';
import { onNewLead } from '../awareness/new-lead-watcher.js';
import type { IntakeDeps } from './intake.js';
import type { RawBody } from '../core/clean-text.js';

/** The outcome of one web lead. */
export interface LeadIntakeResult {
  /** False when the same lead (idempotency key or identical content) was already stored. */
  stored: boolean;
  duplicate: boolean;
  eventId: string;
  signalId?: string;
  contactId?: string;
  runIds: string[];
}

/**
 * The dedup key of a lead: the sender's idempotency key when given, else a SHA-256 of the lead's
 * content (a form retried with the same fields is one lead). Prefixed by channel (`form` | `widget`).
 */
export function leadDedupKey(channel: 'form' | 'widget', lead: Lead, rawBody?: string): string {
  if (lead.idempotencyKey) return `${channel}:key:${lead.idempotencyKey}`;
  const basis = rawBody ?? JSON.stringify([lead.name, lead.phone, lead.email, lead.message, lead.source, lead.page]);
  return `${channel}:body:${createHash('sha256').update(basis).digest('hex').slice(0, 40)}`;
}

/**
 * Stores a web lead in ONE transaction: event `lead.received` (dedup by {@link leadDedupKey}),
 * contact upserted, `new_lead` signal, and the runs of any playbook triggered by `new_lead`
 * planned; the runs start after the commit (a crash in between is repaired by `startOrphans`).
 * A duplicate stores nothing more and answers with the first event's id. `raw` (the request body,
 * base64) is kept on the event when text in it had to be cleaned (see `core/clean-text.ts`).
 */
export async function intakeLead(d: IntakeDeps, tenant: TenantInfo, lead: Lead, dedupKey: string, raw: RawBody | null = null): Promise<LeadIntakeResult> {
  const outcome = await d.db.transaction().execute(async (tx) => {
    const { event, duplicate } = await appendEvent(tx, {
      tenantId: tenant.id, source: lead.source === 'widget' ? 'widget' : 'web_form', type: 'lead.received', dedupKey, occurredAt: d.clock.now(),
      payload: { name: lead.name, phone: lead.phone, email: lead.email, message: lead.message, source: lead.source, page: lead.page, idempotencyKey: lead.idempotencyKey, extra: lead.extra, ...(raw ? { raw } : {}) },
    });
    if (duplicate) return { duplicate: true as const, eventId: event.id };
    const { signal, contact } = await onNewLead(tx, event, lead);
    const plans = await d.host.planRuns(tx, signal);
    return { duplicate: false as const, eventId: event.id, signal, contact, plans };
  });
  if (outcome.duplicate) return { stored: false, duplicate: true, eventId: outcome.eventId, runIds: [] };
  await d.host.startPlanned(outcome.plans);
  d.log.info({ tenant: tenant.slug, source: lead.source, signal: outcome.signal.id }, 'web lead received');
  return { stored: true, duplicate: false, eventId: outcome.eventId, signalId: outcome.signal.id, contactId: outcome.contact?.id, runIds: outcome.plans.map((p) => p.runId) };
}
