import { z } from 'zod';
import { definePlaybook } from '../engine/define-playbook.js';
import { proposeEmail } from '../actions/propose-email.js';
import { proposeSms } from '../actions/propose.js';
import { DEAL_STALLED, type DealStalledData } from '../../awareness/back-office-signals.js';
import { audit } from '../../records/audit.js';
import { voiceLines } from '../back-office/voice-lines.js';

/** Settings under `playbooks.stalled-deal-nudge` in tenant.yaml. */
export const StalledDealNudgeSettings = z.object({ enabled: z.boolean().default(true) }).strict();

type Prepared =
  | { ok: true; channel: 'email' | 'sms'; to: string; subject: string; text: string; dealTitle: string }
  | { ok: false; why: string };

/**
 * A check-in with the customer of a deal that stalled (`deal_stalled`), drafted in the tenant's
 * voice (greeting and sign-off from the voice file) and sent only with the owner's OK (approval
 * always, whatever the policy says): by email when the deal's contact has an address, else by
 * text. Steps: `prepare` (deal, contact, channel, text), `send.*`. A deal that is gone, closed, or
 * whose contact has neither an email nor a phone (or opted out of texts) is skipped with the reason.
 */
export const stalledDealNudge = definePlaybook({
  id: 'stalled-deal-nudge',
  version: 1,
  title: 'Check in on a stalled deal',
  trigger: { signal: DEAL_STALLED },
  settings: StalledDealNudgeSettings,
  minutesPerRun: 5,
  async run(ctx, input) {
    const { db } = ctx.deps;
    const tenant = ctx.tenant;
    const data = input.data as Partial<DealStalledData>;
    const p = await ctx.step<Prepared>('prepare', async () => {
      const dealId = typeof data.dealId === 'string' ? data.dealId : '';
      const deal = await db.selectFrom('deals').selectAll().where('tenant_id', '=', tenant.id).where('id', '=', dealId).executeTakeFirst();
      if (!deal) return { ok: false, why: `deal ${dealId || '(none)'} not found` };
      if (['won', 'lost', 'done'].includes(deal.stage)) return { ok: false, why: `the deal is ${deal.stage}` };
      const contact = await db.selectFrom('contacts').selectAll().where('tenant_id', '=', tenant.id).where('id', '=', deal.contact_id).executeTakeFirst();
      if (!contact) return { ok: false, why: 'the deal has no contact' };
      const email = contact.email?.trim() && /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(contact.email.trim()) ? contact.email.trim() : null;
      const phone = contact.phone && !contact.opted_out_at ? contact.phone : null;
      if (!email && !phone) return { ok: false, why: contact.phone ? 'the contact opted out of texts and has no email address' : 'the contact has no email address or phone number' };
      const voice = await voiceLines(db, tenant, contact);
      const fr = tenant.locale.toLowerCase().startsWith('fr');
      const title = deal.title.replace(/\s+/g, ' ').slice(0, 80);
      const text = fr
        ? `${voice.greeting} je voulais simplement prendre de vos nouvelles au sujet de « ${title} ». Avez-vous des questions, ou y a-t-il quelque chose dont vous avez besoin de notre part pour aller de l'avant? ${voice.signOff}`
        : `${voice.greeting} just checking in about "${title}". Do you have any questions, or is there anything you need from us to move ahead? ${voice.signOff}`;
      return { ok: true, channel: email ? 'email' : 'sms', to: email ?? phone!, subject: fr ? `${tenant.name} : des nouvelles de « ${title} »` : `${tenant.name}: checking in about ${title}`, text, dealTitle: title };
    });
    if (!p.ok) {
      await ctx.step('skip', () => audit(db, tenant.id, 'playbook', 'stalled-deal-nudge.skipped', ctx.runId, { dealId: data.dealId ?? null, reason: p.why }).then(() => true));
      return { summary: `no nudge: ${p.why}`, resolved: true };
    }
    const context = `deal "${p.dealTitle}" stalled in ${String(data.stage ?? '?')} for ${Number(data.days ?? 0)} days`;
    if (p.channel === 'email') {
      const out = await proposeEmail(ctx, 'send', { to: p.to, subject: p.subject, body: p.text.replace(/, /, ',\n\n').replace(/ (— .*)$/, '\n\n$1'), approval: 'always', context });
      return { summary: out.status === 'sent' ? `check-in emailed to ${p.to}` : `check-in ${out.status}`, resolved: true };
    }
    const out = await proposeSms(ctx, 'send', { kind: 'sms.send', to: p.to, body: async () => ({ text: p.text, drafter: 'template', byAios: true }), approval: 'always', context });
    return { summary: out.status === 'sent' ? `check-in texted to ${p.to}` : `check-in ${out.status}`, resolved: true };
  },
});
