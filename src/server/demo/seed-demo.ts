import type { Aios } from '../runtime.js';
import { appendMessage } from '../../records/conversations.js';
import { upsertContactByPhone } from '../../records/contacts.js';
import { postTwilioWebhook, missedCallParams, inboundSmsParams } from '../../connection/twilio/webhook-client.js';
import { DEMO_SLUG } from './demo-files.js';

/** The demo's returning customers (seeded contacts). Their numbers appear nowhere in the demo knowledge. */
export const RETURNING = [
  { name: 'Priya Shah', phone: '+14165550142', history: 'Thanks again for fixing the water heater!' },
  { name: 'Marc Tremblay', phone: '+14165550187', history: 'Merci, the furnace is running great.' },
  { name: 'Linda Okafor', phone: '+16475550123', history: 'Can you send the invoice for the faucet repair?' },
];
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
 * new number (first contact: waits for the owner's approval). Returns the approval link, if any.
 */
export async function seedDemo(aios: Aios): Promise<{ approvalLink: string | null; approvalId: string | null }> {
  const tenant = aios.tenants.bySlugOrThrow(DEMO_SLUG);
  const { db } = aios;
  const weekAgo = new Date(Date.now() - 9 * 86_400_000);
  for (const c of RETURNING) {
    await upsertContactByPhone(db, tenant.id, c.phone, { name: c.name, source: 'import' });
    await appendMessage(db, { tenantId: tenant.id, channel: 'sms', address: c.phone, direction: 'inbound', body: c.history, at: weekAgo });
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
  const link = pending?.link_nonce ? aios.services.approvalLinks.url(aios.services.approvalLinks.token(pending.id, pending.link_nonce)) : null;
  return { approvalLink: link, approvalId: pending?.id ?? null };
}
