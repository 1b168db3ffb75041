import type { Aios } from '../runtime.js';
import { appendMessage } from '../../records/conversations.js';
import { upsertContactByPhone } from '../../records/contacts.js';
import { postTwilioWebhook, missedCallParams, inboundSmsParams } from '../../connection/twilio/webhook-client.js';
import { DEMO_SLUG } from './demo-files.js';
import { newId } from '../../core/ids.js';
import '../../connection/framework/tables.js';

/** The demo's returning customers (seeded contacts). Their numbers appear nowhere in the demo knowledge. */
export const RETURNING = [
  { name: 'Priya Shah', phone: '+14165550142', history: 'Thanks again for fixing the water heater!', answer: 'Glad it is working, Priya!' },
  { name: 'Marc Tremblay', phone: '+14165550187', history: 'Merci, the furnace is running great.', answer: 'Great to hear, Marc. See you at the fall tune-up.' },
  { name: 'Linda Okafor', phone: '+16475550123', history: 'Can you send the invoice for the faucet repair?', answer: 'Sent it to you just now, Linda (INV-1042).' },
];
/** The demo's unpaid invoice: Linda's faucet repair, due 10 days ago (the chase starts at once). */
export const DEMO_INVOICE = { number: 'INV-1042', amountCents: 24_000, currency: 'CAD', dueDaysAgo: 10 };
/** The demo's new caller (a first contact). */
export const NEW_CALLER = '+14375550199';

async function until<T>(fn: () => Promise<T | undefined>, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/**
 * Fills a just-created demo business through the real webhook path: three returning customers'
 * missed calls (texted back automatically), one of whom replies (a deal opens), and a call from a
 * new number (first contact: waits for the owner's approval), and Linda's faucet-repair invoice
 * 10 days overdue (the watchers raise `invoice_overdue` and the chase texts her a reminder).
 * Returns the approval link, if any.
 */
export async function seedDemo(aios: Aios): Promise<{ approvalLink: string | null; approvalId: string | null }> {
  const tenant = aios.tenants.bySlugOrThrow(DEMO_SLUG);
  const { db } = aios;
  // Dates come from the instance's clock (a test's manual clock, else the system's), not Date.now().
  const now = aios.clock.now().getTime();
  const weekAgo = new Date(now - 9 * 86_400_000);
  for (const c of RETURNING) {
    await upsertContactByPhone(db, tenant.id, c.phone, { name: c.name, source: 'import' });
    await appendMessage(db, { tenantId: tenant.id, channel: 'sms', address: c.phone, direction: 'inbound', body: c.history, at: weekAgo });
    // The owner answered back then: these customers are not waiting for anyone.
    await appendMessage(db, { tenantId: tenant.id, channel: 'sms', address: c.phone, direction: 'outbound', body: c.answer, at: new Date(weekAgo.getTime() + 3_600_000) });
  }
  const post = (path: string, params: Record<string, string>) =>
    postTwilioWebhook(`${aios.url}${path}`, params, { authToken: aios.config.twilio.authToken, signedUrl: `${aios.services.publicUrl()}${path}` });

  for (const c of RETURNING) await post('/hooks/twilio/voice', missedCallParams({ from: c.phone, to: tenant.phone, callerName: c.name }));

  const priya = RETURNING[0]!;
  const sent = await until(async () => {
    const r = await db.selectFrom('outbox').select('status').where('tenant_id', '=', tenant.id).where('recipient', '=', priya.phone).where('status', '=', 'sent').executeTakeFirst();
    return r ?? undefined;
  }, 10_000);
  if (sent) await post('/hooks/twilio/sms', inboundSmsParams({ from: priya.phone, to: tenant.phone, body: 'Hi! Our basement floor drain is backing up. Could someone come tomorrow morning?' }));

  await post('/hooks/twilio/voice', missedCallParams({ from: NEW_CALLER, to: tenant.phone }));
  // The stored notice holds `…/a/[link]`; the link itself is derived from the instance key, never stored.
  const pending = await until(async () => {
    const r = await db.selectFrom('approvals').select(['id', 'link_nonce']).where('tenant_id', '=', tenant.id).where('status', '=', 'pending').where('recipient', '=', NEW_CALLER).executeTakeFirst();
    return r?.link_nonce ? r : undefined;
  }, 10_000);
  // The back office: an overdue invoice, found by the watchers like any imported one.
  const linda = await db.selectFrom('contacts').select('id').where('tenant_id', '=', tenant.id).where('phone', '=', RETURNING[2]!.phone).executeTakeFirst();
  await db.insertInto('invoices').values({
    id: newId('inv'), tenant_id: tenant.id, contact_id: linda?.id ?? null, number: DEMO_INVOICE.number, external_ref: `demo:${DEMO_INVOICE.number}`, source: 'builtin', status: 'open',
    currency: DEMO_INVOICE.currency, amount_cents: DEMO_INVOICE.amountCents, amount_paid_cents: 0, customer_name: RETURNING[2]!.name, customer_email: null,
    issued_at: new Date(now - 40 * 86_400_000), due_at: new Date(now - DEMO_INVOICE.dueDaysAgo * 86_400_000),
  }).onConflict((oc) => oc.columns(['tenant_id', 'source', 'external_ref']).doNothing()).execute();
  await aios.watch.runNow();
  const link = pending?.link_nonce ? aios.services.approvalLinks.url(aios.services.approvalLinks.token(pending.id, pending.link_nonce)) : null;
  return { approvalLink: link, approvalId: pending?.id ?? null };
}
