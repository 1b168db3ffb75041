import type { RunContext } from '../engine/run-context.js';
import { proposeEmail } from '../actions/propose-email.js';
import { proposeSms } from '../actions/propose.js';
import { invoiceReminderText, reminderEmailBody, type ReminderStage } from '../../ai/templates/invoice-reminder.js';
import { draftReminderMessage } from '../../ai/drafts/invoice-reminder-draft.js';
import { readVoiceNotes } from '../../knowledge/voice-notes.js';
import { readInvoiceState, reserveReminder, setReminderOutcome, settledReason, type InvoiceState } from './chase-store.js';
import { STAGE_TONE } from './chase-stages.js';
import { DAY_MS, localParts } from '../../core/time-zone.js';

/** Settings a reminder needs (a subset of the playbook's). */
export interface ReminderSettings {
  payment_instructions: string | null;
  min_hours_between: number;
}

/** How one reminder ended. `cap` = the 48 h cap stopped it at the last moment; `settled` = paid or void meanwhile. */
export type ReminderResult =
  | { status: 'sent'; channel: 'email' | 'sms'; to: string; subject: string | null; drafter: string }
  | { status: 'not_sent'; channel: 'email' | 'sms'; to: string; why: string }
  | { status: 'skipped'; why: string }
  | { status: 'settled'; why: 'paid' | 'void' }
  | { status: 'cap'; why: string; notBefore: string };

/** Calendar days (in `timeZone`) from the due date to `now`; 0 on or before the due date. */
export function daysLate(dueAt: string, now: Date, timeZone: string): number {
  const day = (d: Date) => {
    const l = localParts(d, timeZone);
    return Date.UTC(l.year, l.month - 1, l.day) / DAY_MS;
  };
  return Math.max(0, day(now) - day(new Date(dueAt)));
}

/**
 * Sends the reminder of one stage to the invoice's customer: email when the invoice (or its
 * contact) has an address, else SMS to the contact's phone, else skipped with the reason. The
 * text is the stage's offline template (a model may rephrase its paragraph only, `draft.<stage>`
 * step); figures, dates, number and payment link come from the record. The policy decides
 * auto / approval. Inside the send step (`precheck`) the invoice is re-read (paid / void →
 * nothing is sent) and the reminder is recorded in `invoice_reminders` under the 48 h cap; a
 * reminder that would break the cap is not sent (the caller waits and tries again with `attempt` + 1:
 * steps `draft.<stage>-2`, `remind.<stage>-2.*`, …).
 */
export async function sendStageReminder(ctx: RunContext, stage: ReminderStage, inv: InvoiceState, settings: ReminderSettings, attempt = 0): Promise<ReminderResult> {
  const sfx = attempt > 0 ? `-${attempt + 1}` : '';
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const channel: 'email' | 'sms' | null = inv.email && ctx.deps.channels.email ? 'email' : inv.phone ? 'sms' : null;
  if (!channel) {
    const why = inv.email ? 'the customer has an email address but no email channel is configured (AIOS_SMTP_URL) and no phone is known' : 'no email address or phone number for the customer';
    return { status: 'skipped', why };
  }
  const to = channel === 'email' ? inv.email! : inv.phone!;
  const draft = await ctx.step(`draft.${stage}${sfx}`, async () => {
    const now = clock.now();
    const voice = await readVoiceNotes(db, tenant.id);
    const t = invoiceReminderText({
      stage, businessName: tenant.name, ownerName: tenant.owner.name, customerName: inv.name, number: inv.number, balanceCents: inv.balanceCents, currency: inv.currency,
      dueAt: new Date(inv.dueAt!), daysLate: daysLate(inv.dueAt!, now, tenant.timeZone), paymentUrl: inv.paymentUrl, paymentInstructions: settings.payment_instructions, signOff: voice.signOff,
      locale: tenant.locale, timeZone: tenant.timeZone,
    });
    if (channel === 'sms') return { subject: null, body: t.sms, drafter: 'template' };
    const m = await draftReminderMessage(ctx.deps.models, { tenantId: tenant.id, runId: ctx.runId, businessName: tenant.name, tone: STAGE_TONE[stage], template: t, voiceRules: voice.rules, banned: voice.banned, customerName: inv.name });
    return { subject: t.subject, body: reminderEmailBody(t, m.message), drafter: m.drafter };
  });

  let reminderId: string | null = null;
  let stop: { status: 'settled'; why: 'paid' | 'void' } | { status: 'cap'; why: string; notBefore: string } | null = null;
  const precheck = async (): Promise<string | null> => {
    const cur = await readInvoiceState(db, tenant.id, inv.id);
    const settled = cur ? settledReason(cur) : 'void';
    if (settled) {
      stop = { status: 'settled', why: settled };
      return `invoice ${settled} meanwhile`;
    }
    const r = await reserveReminder(db, { tenantId: tenant.id, invoiceId: inv.id, runId: ctx.runId, stage, channel, recipient: to, now: clock.now(), capHours: settings.min_hours_between });
    if (!r.ok) {
      stop = { status: 'cap', why: `a reminder (${r.lastStage}) went out less than ${settings.min_hours_between} h ago; next allowed ${r.notBefore}`, notBefore: r.notBefore };
      return stop.why;
    }
    reminderId = r.reminderId;
    return null;
  };
  const context = `Invoice ${inv.number ?? inv.id} reminder (${stage}, ${STAGE_TONE[stage]})`;
  const out = channel === 'email'
    ? await proposeEmail(ctx, `remind.${stage}${sfx}`, { to, subject: draft.subject!, body: draft.body, context, recordLinks: inv.paymentUrl ? [inv.paymentUrl] : [], precheck })
    : await proposeSms(ctx, `remind.${stage}${sfx}`, { kind: 'sms.send', to, body: async () => ({ text: draft.body, drafter: 'template', byAios: true }), context, precheck, factsFromRecord: true });
  // The send step's result is checkpointed but `stop` / `reminderId` are not: read them back from the rows.
  const rec = await ctx.step(`outcome.${stage}${sfx}`, async () => {
    const row = await db.selectFrom('invoice_reminders').select(['id', 'run_id']).where('invoice_id', '=', inv.id).where('stage', '=', stage).executeTakeFirst();
    const mine = row && row.run_id === ctx.runId ? row.id : reminderId;
    if (mine) await setReminderOutcome(db, mine, out.status === 'sent' ? 'sent' : out.status);
    return { recorded: mine !== null };
  });
  if (out.status === 'sent') return { status: 'sent', channel, to, subject: draft.subject, drafter: draft.drafter };
  if (out.status === 'cancelled' && !rec.recorded) {
    const s = stop as ReminderResult | null;
    if (s) return s;
    const error = 'error' in out ? out.error ?? '' : '';
    // Replayed after a crash (the send step's result is recorded, `stop` is not): the reason says which.
    if (error.startsWith('invoice ')) return { status: 'settled', why: error.includes('void') ? 'void' : 'paid' };
    return { status: 'cap', why: error, notBefore: error.slice(error.lastIndexOf(' ') + 1) };
  }
  const why = out.status === 'refused' ? `refused by policy: ${out.reasons.map((r) => r.detail).join('; ')}` : out.status === 'no_channel' ? 'no email channel' : `${out.status}${'error' in out && out.error ? `: ${out.error}` : ''}`;
  return { status: 'not_sent', channel, to, why };
}
