import { z } from 'zod';
import { sql } from 'kysely';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeEmail } from '../actions/propose-email.js';
import { PROPOSAL_REQUESTED } from '../../awareness/back-office-signals.js';
import { dateInZone } from '../../knowledge/dates.js';
import { newId } from '../../core/ids.js';
import { audit } from '../../records/audit.js';
import { gatherProposalInputs, draftProposal, type Gathered, type ProposalDraft } from '../proposals/proposal-draft.js';
import { proposalMarkdown, proposalPdf, proposalTotal, totalLine, type ProposalContent } from '../proposals/proposal-document.js';
import { voiceLines } from '../back-office/voice-lines.js';
import type { ProposalStatus } from '../proposals/tables.js';
import '../proposals/tables.js';

/** Settings under `playbooks.proposal` in tenant.yaml. */
export const ProposalSettings = z.object({ enabled: z.boolean().default(true) }).strict();

/**
 * A proposal for a deal (`proposal_requested`, raised by `POST /api/v1/deals/:id/proposal` or
 * `aios proposal DEAL_ID`). Steps: `gather` (deal, contact with an email, price catalogue, the
 * owner's notes, the customer's messages), `draft` (line items priced only from knowledge facts —
 * a requested item with no price is listed "to be quoted by the owner" — and the intro; model or
 * offline), `store` (Markdown + PDF in `proposals`, status `draft`, next version of the deal),
 * `send.*` (email to the deal's contact with the PDF attached, **always** after the owner's
 * approval whatever the policy says), `record` (status `sent` / `rejected` / `expired` / `failed`).
 * A deal with no contact or no email address is skipped with the reason.
 */
export const proposal = definePlaybook({
  id: 'proposal',
  version: 1,
  title: 'Draft a proposal for a deal',
  trigger: { signal: PROPOSAL_REQUESTED },
  settings: ProposalSettings,
  minutesPerRun: 30,
  async run(ctx, input) {
    const { db, clock } = ctx.deps;
    const tenant = ctx.tenant;
    const dealId = typeof input.data.dealId === 'string' ? input.data.dealId : '';
    const notes = typeof input.data.notes === 'string' ? input.data.notes : null;
    const g = await ctx.step<Gathered>('gather', () => gatherProposalInputs(db, tenant, dealId, notes, clock.now()));
    if (!g.ok) {
      await ctx.step('skip', () => audit(db, tenant.id, 'playbook', 'proposal.skipped', ctx.runId, { dealId, reason: g.why }).then(() => true));
      return { summary: `no proposal: ${g.why}`, resolved: true };
    }
    const inputs = g.inputs;
    const draft = await ctx.step<ProposalDraft>('draft', () => draftProposal(ctx.deps.models, tenant, inputs, ctx.runId));

    const stored = await ctx.step('store', async () => {
      const contact = await db.selectFrom('contacts').select(['name', 'name_source', 'name_verified']).where('id', '=', inputs.contactId).executeTakeFirst();
      const voice = await voiceLines(db, tenant, contact ?? null);
      const currency = draft.items[0]?.currency ?? tenant.currency;
      return db.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${tenant.id} || ':proposal:' || ${inputs.dealId}))`.execute(tx);
        // A replay of this step after a crash past the commit finds its own row (one proposal per run).
        const mine = await tx.selectFrom('proposals').select(['id', 'version', 'pdf']).where('run_id', '=', ctx.runId).executeTakeFirst();
        const last = mine ? undefined : await tx.selectFrom('proposals').select((eb) => eb.fn.max('version').as('v')).where('tenant_id', '=', tenant.id).where('deal_id', '=', inputs.dealId).executeTakeFirst();
        const version = mine?.version ?? Number(last?.v ?? 0) + 1;
        const content: ProposalContent = {
          business: tenant.name, customerName: inputs.customerName, dealTitle: inputs.dealTitle, version, date: dateInZone(clock.now(), tenant.timeZone),
          intro: draft.intro, items: draft.items, unpriced: draft.unpriced, currency, signOff: voice.signOff,
        };
        const markdown = proposalMarkdown(content);
        const pdf = mine ? Buffer.from(mine.pdf) : Buffer.from(await proposalPdf(content));
        const id = mine?.id ?? newId('prp');
        if (!mine) await tx.insertInto('proposals').values({
          id, tenant_id: tenant.id, deal_id: inputs.dealId, run_id: ctx.runId, version, markdown, pdf, total_cents: proposalTotal(draft.items), currency,
          line_items: JSON.stringify(draft.items), unpriced: JSON.stringify(draft.unpriced), recipient: inputs.to,
        }).execute();
        if (!mine) await audit(tx, tenant.id, 'playbook', 'proposal.drafted', id, { runId: ctx.runId, dealId: inputs.dealId, version, drafter: draft.drafter, items: draft.items.map((i) => i.factId), unpriced: draft.unpriced.length, notes: draft.notes });
        const body = [
          `${voice.greeting}`, '', draft.intro, '',
          ...draft.items.map((i) => `- ${i.description}: ${i.quantity} x ${(i.unitCents / 100).toFixed(2)} = ${(i.totalCents / 100).toFixed(2)} ${i.currency}`),
          ...(draft.items.length ? ['', totalLine(content)] : []),
          ...(draft.unpriced.length ? ['', 'To be quoted by the owner (not in the total):', ...draft.unpriced.map((u) => `- ${u}`)] : []),
          '', `The proposal is attached as a PDF (proposal ${version}).`, '', voice.signOff,
        ].join('\n');
        return { id, version, body, pdfBase64: pdf.toString('base64'), total: totalLine(content) };
      });
    });

    const out = await proposeEmail(ctx, 'send', {
      to: inputs.to, subject: `${tenant.name}: proposal ${stored.version} for ${inputs.dealTitle}`.slice(0, 200), body: stored.body,
      attachments: [{ filename: `proposal-${stored.version}.pdf`, contentType: 'application/pdf', contentBase64: stored.pdfBase64 }],
      approval: 'always', context: `proposal ${stored.version} for deal "${inputs.dealTitle}" (${stored.total}; ${draft.unpriced.length} item(s) to be quoted by you)`,
      ...(inputs.customerText.trim() ? { untrusted: [{ label: 'what the customer wrote (read for the line items)', text: inputs.customerText.slice(-2_000) }] } : {}),
    });
    const status: ProposalStatus = out.status === 'sent' ? 'sent' : out.status === 'rejected' || out.status === 'refused' ? 'rejected' : out.status === 'expired' ? 'expired' : 'failed';
    const error = out.status === 'failed' || out.status === 'cancelled' ? out.error : out.status === 'no_channel' ? 'no email channel (set AIOS_SMTP_URL)' : out.status === 'refused' ? out.reasons.map((r) => r.detail).join('; ') : null;
    await ctx.step('record', async () => {
      const now = clock.now();
      const approval = out.status === 'sent' && out.approvedBy
        ? await db.selectFrom('approvals').select(['decided_at']).where('run_id', '=', ctx.runId).where('status', '=', 'approved').executeTakeFirst()
        : undefined;
      await db.updateTable('proposals').set({
        status, error, updated_at: now,
        ...(out.status === 'sent' ? { sent_at: now, approved_by: out.approvedBy, approved_at: approval?.decided_at ?? now } : {}),
      }).where('id', '=', stored.id).execute();
      return status;
    });
    if (out.status === 'sent') return { summary: `proposal ${stored.version} (${stored.total}) sent to ${inputs.to}`, resolved: true };
    return { summary: `proposal ${stored.version} ${status}${error ? `: ${error}` : ''}`, resolved: true };
  },
});
