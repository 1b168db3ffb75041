import { z } from 'zod';
import type { Db } from '../../store/db.js';
import type { TenantInfo } from '../../records/tenants.js';
import type { ModelClient } from '../../ai/model-client.js';
import type { UntrustedText } from '../../ai/prompt.js';
import { withOfflineFallback } from '../../ai/offline.js';
import { getFacts } from '../../knowledge/facts.js';
import { findMoney } from '../../knowledge/money.js';
import { quotableName } from '../../records/contact-names.js';
import { catalogueOf, lineItemsFromIds, matchLineItems, type CatalogueItem, type LineItemPick } from './line-items.js';

/** What a proposal is drafted from (read in the run's `gather` step). */
export interface ProposalInputs {
  dealId: string;
  dealTitle: string;
  contactId: string;
  customerName: string | null;
  to: string;
  catalogue: CatalogueItem[];
  /** The owner's notes with the request (API/CLI), the deal's title and bookings' needs. */
  ownerNotes: string;
  /** The customer's own messages (inbound, newest last): untrusted outside text. */
  customerText: string;
}

/** Why no proposal is drafted, or the inputs. */
export type Gathered = { ok: true; inputs: ProposalInputs } | { ok: false; why: string };

/** Most recent inbound messages of the customer read for a proposal (count). */
const MESSAGES_READ = 20;

/**
 * Reads a deal, its contact (who must have an email address), the price catalogue valid at `now`,
 * the owner's notes and the customer's recent inbound messages.
 */
export async function gatherProposalInputs(db: Db, tenant: TenantInfo, dealId: string, notes: string | null, now: Date): Promise<Gathered> {
  const deal = await db.selectFrom('deals').selectAll().where('tenant_id', '=', tenant.id).where('id', '=', dealId).executeTakeFirst();
  if (!deal) return { ok: false, why: `deal ${dealId || '(none)'} not found` };
  const contact = await db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenant.id).where('id', '=', deal.contact_id).executeTakeFirst();
  if (!contact) return { ok: false, why: `deal ${dealId} has no contact` };
  const to = contact.email?.trim();
  if (!to || !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(to)) return { ok: false, why: `the deal's contact has no email address to send the proposal to` };
  const needs = await db.selectFrom('bookings').select('need').where('tenant_id', '=', tenant.id).where('deal_id', '=', dealId).where('need', 'is not', null).execute();
  const msgs = await db.selectFrom('messages').innerJoin('conversations', 'conversations.id', 'messages.conversation_id').select(['messages.body'])
    .where('conversations.tenant_id', '=', tenant.id).where('conversations.contact_id', '=', contact.id).where('messages.direction', '=', 'inbound')
    .orderBy('messages.created_at', 'desc').limit(MESSAGES_READ).execute();
  return {
    ok: true,
    inputs: {
      dealId, dealTitle: deal.title, contactId: contact.id, customerName: quotableName(contact), to,
      catalogue: catalogueOf(await getFacts(db, tenant.id, now, { type: 'price' }), tenant.currency),
      ownerNotes: [notes ?? '', ...needs.map((n) => n.need ?? '')].filter((s) => s.trim()).join('\n'),
      customerText: msgs.reverse().map((m) => m.body).join('\n'),
    },
  };
}

/** The drafted content of a proposal: line items (priced from the catalogue only), unpriced items, intro. */
export interface ProposalDraft extends LineItemPick {
  intro: string;
  drafter: 'model' | 'offline';
  /** What went wrong with the model's answer, when something was dropped or the offline path ran. */
  notes: string[];
}

const ModelPick = z.object({
  /** Catalogue ids (`factId`) the customer asked for. */
  items: z.array(z.string().max(80)).max(40),
  /** Things asked for that are not in the catalogue, in a few words each. */
  unpriced: z.array(z.string().max(200)).max(20),
  /** Two or three friendly sentences, no prices. */
  intro: z.string().min(1).max(800),
});

/** The offline intro (no amounts). */
function templateIntro(tenant: TenantInfo, inputs: ProposalInputs): string {
  return `${inputs.customerName ? `Hi ${inputs.customerName.split(/\s+/)[0]}, thank` : 'Thank'} you for asking ${tenant.name} about ${inputs.dealTitle}. Here is our proposal; every price below comes from our current price list.`;
}

/**
 * Picks the line items and writes the intro. With a model: the model chooses catalogue ids (checked
 * against the catalogue; unknown ids are dropped) and writes the intro (an intro with an amount in
 * it is replaced by the template: prices come only from the table). Offline, or on any model
 * failure: word match of the request against the catalogue ({@link matchLineItems}) and a template.
 */
export async function draftProposal(models: ModelClient, tenant: TenantInfo, inputs: ProposalInputs, runId: string): Promise<ProposalDraft> {
  const requestText = `${inputs.dealTitle}\n${inputs.ownerNotes}\n${inputs.customerText}`;
  const offline = (): ProposalDraft => ({ ...matchLineItems(requestText, inputs.catalogue), intro: templateIntro(tenant, inputs), drafter: 'offline', notes: [] });
  const untrusted: UntrustedText[] = [
    { label: 'deal_title', text: inputs.dealTitle },
    ...(inputs.ownerNotes ? [{ label: 'request_notes', text: inputs.ownerNotes }] : []),
    ...(inputs.customerText ? [{ label: 'customer_messages', text: inputs.customerText }] : []),
  ];
  const r = await withOfflineFallback(models.spec ? async () => {
    const res = await models.generateStructured({
      tenantId: tenant.id, runId, purpose: 'draft_proposal', schema: ModelPick, name: 'proposal',
      system: `You prepare the line items of a written proposal for ${tenant.name}, a small business. You never state a price: prices are filled in by the software from the catalogue.`,
      instructions: [
        'Pick, from this catalogue only, the ids of the services the customer asked for. Catalogue (id: service):',
        ...inputs.catalogue.map((c) => `- ${c.factId}: ${c.service}`),
        'List anything else the customer asked for in "unpriced" (a few words each). Write "intro": two or three friendly sentences for the customer, with no price, amount, link or phone number.',
      ].join('\n'),
      untrusted, maxOutputTokens: 800,
    });
    return res.object;
  } : null, () => null);
  if (r.offline || !r.value) return { ...offline(), notes: r.offline ? [`offline path (${r.reason})`] : [] };
  const picked = lineItemsFromIds(r.value.items, r.value.unpriced, inputs.catalogue);
  const notes = picked.unknownIds.length ? [`ignored ${picked.unknownIds.length} id(s) not in the catalogue`] : [];
  let intro = r.value.intro.trim();
  if (findMoney(intro).length || /https?:\/\/|www\./i.test(intro)) {
    intro = templateIntro(tenant, inputs);
    notes.push('the model intro held an amount or a link: template used');
  }
  return { items: picked.items, unpriced: picked.unpriced, intro, drafter: 'model', notes };
}
