import { z } from 'zod';
import { definePlaybook, type RunOutcome, type TriggerInput } from '../engine/define-playbook.js';
import type { RunContext } from '../engine/run-context.js';
import { INVOICE_DUE_SOON, INVOICE_OVERDUE, INVOICE_CALL_OWNER, type InvoiceSignalData, type InvoiceCallOwnerData } from '../../awareness/back-office-signals.js';
import { chaseStages, remainingStages, type StagePlan } from '../invoices/chase-stages.js';
import { claimChase, endChase, invoiceProblem, readInvoiceState, reserveReminder, sentReminderCount, setReminderOutcome, settledReason, type InvoiceState } from '../invoices/chase-store.js';
import { invoiceTopic, type InvoiceMessage } from '../invoices/invoice-messages.js';
import { sendStageReminder, daysLate } from '../invoices/chase-reminder.js';
import { notifyOwnerToCall } from '../invoices/call-owner.js';
import { recordLedgerEntry } from '../../records/ledger-entries.js';
import { DAY_MS } from '../../core/time-zone.js';
import { formatAmount } from '../../ai/templates/invoice-reminder.js';
import { ACTION_KINDS } from '../../records/action-minutes.js';
import type { ChaseStage } from '../invoices/tables.js';

/** Settings under `playbooks.invoice-chase` in tenant.yaml (also used by `invoice-chase-overdue`). */
export const InvoiceChaseSettings = z
  .object({
    enabled: z.boolean().default(true),
    /** Days before the due date of the first (friendly) reminder; 0 = none before the due date. */
    days_before: z.number().int().min(0).max(30).default(3),
    /** Local hour (0–23, the business's time zone) at which reminders go out. */
    send_hour: z.number().int().min(0).max(23).default(9),
    /** At most one reminder per invoice in this many hours (never below 48). */
    min_hours_between: z.number().min(48).max(24 * 30).default(48),
    /** How to pay when the invoice has no payment link, e.g. "Interac e-Transfer to pay@maple.example". */
    payment_instructions: z.string().min(3).max(300).nullable().default(null),
    /** After the owner's call task (+30 days), keep listening for the payment this many days (for the ledger). */
    watch_days_after_call: z.number().int().min(0).max(365).default(30),
  })
  .strict();
export type InvoiceChaseSettingsT = z.infer<typeof InvoiceChaseSettings>;

/** Minutes a person spends on one payment reminder by hand (`records/action-minutes.ts`, shared with the audit and the ledger summary). */
const MINUTES_PER_REMINDER = ACTION_KINDS.invoiceChase.minutes;

/** What happens when a stage's wait ends without payment, in words (`aios runs ID`: "waiting for payment of invoice INV-1 (then the +7 days reminder) until …"). */
const STAGE_NEXT_WORDS: Record<ChaseStage, string> = {
  before: 'the reminder before the due date', due: 'the due-date reminder', plus7: 'the +7 days reminder', plus14: 'the final +14 days reminder', call: 'a task for you to call',
};
/** How many times a stage may be pushed back by the 48 h cap before it is given up. */
const MAX_CAP_DEFERRALS = 3;

/**
 * Chases one unpaid invoice: reminders `days_before` days before the due date, on it, at +7 and
 * +14 days (friendly → firm → final), then at +30 a call task for the owner (`invoice_call_owner`,
 * high severity, plus an SMS notice to the owner's phone). One chase per invoice, ever
 * (`invoice_chases`); a chase that starts late begins at the latest stage already due. Each wait is
 * `ctx.waitUntil` on the business clock, listening on the invoice's topic; the invoice is re-read
 * after every wake and before every reminder, so the chase stops as soon as it is paid or void.
 * Paid after at least one reminder → ledger `invoice_recovered` (value = the amount recovered,
 * minutes = 5 per reminder). Bad input (no due date, nothing owed, unknown currency) → skipped with
 * the reason. Steps: `read`, `claim`, `start`, per stage `wait.<stage>.<n>.*` / `check.<stage>.<n>`,
 * `draft.<stage>`, `remind.<stage>.*`, `outcome.<stage>`, `call.*`; `watch.*`, `finish`.
 */
async function runChase(ctx: RunContext, input: TriggerInput, settings: InvoiceChaseSettingsT): Promise<RunOutcome> {
  const data = input.data as Partial<InvoiceSignalData>;
  const invoiceId = typeof data.invoiceId === 'string' ? data.invoiceId : input.subject;
  const tenant = ctx.tenant;
  const { db, clock } = ctx.deps;
  const read = () => readInvoiceState(db, tenant.id, invoiceId);

  const first = await ctx.step('read', read);
  if (!first) return { summary: `skipped: invoice ${invoiceId} not found`, resolved: true };
  const problem = invoiceProblem(first);
  if (problem) return { summary: `skipped invoice ${first.number ?? invoiceId}: ${problem}`, resolved: false };
  const settledAtStart = settledReason(first);
  if (settledAtStart) return { summary: `no chase: invoice ${first.number ?? invoiceId} is already ${settledAtStart}`, resolved: true };
  const claim = await ctx.step('claim', () => claimChase(db, tenant.id, invoiceId, ctx.runId, first.balanceCents, clock.now()));
  if (!claim.owner) return { summary: `no chase: invoice ${first.number ?? invoiceId} is already chased by run ${claim.runId} (${claim.status})`, resolved: false };

  const label = first.number ?? invoiceId;
  const start = await ctx.now('start');
  const plans = chaseStages(new Date(first.dueAt!), tenant.timeZone, settings.days_before, settings.send_hour);
  const { todo, missed } = remainingStages(plans, start);
  const notes: string[] = missed.length ? [`started late, missed: ${missed.join(', ')}`] : [];
  let current: InvoiceState = first;

  /** Waits until `at` or a message; re-reads the invoice after each wake. Returns 'settled' or the fresh state. */
  const waitStage = async (name: string, at: Date, why: string): Promise<{ settled: 'paid' | 'void' } | { state: InvoiceState }> => {
    for (let n = 0; ; n++) {
      const msg = await ctx.waitUntil<InvoiceMessage>(`wait.${name}.${n}`, at, why, invoiceTopic(invoiceId));
      const cur = await ctx.step(`check.${name}.${n}`, read);
      const settled = cur ? settledReason(cur) : 'void';
      if (settled) return { settled };
      if (!msg) return { state: cur! };
      // A message that does not settle the invoice (e.g. a part payment): keep waiting for the same time.
    }
  };
  const finish = (how: 'paid' | 'void' | 'finished' | 'stopped', why: string) => finishChase(ctx, invoiceId, label, how, why, notes);

  for (const plan of todo) {
    const w = await waitStage(plan.stage, plan.at, `payment of invoice ${label} (then ${STAGE_NEXT_WORDS[plan.stage]})`);
    if ('settled' in w) return finish(w.settled, `invoice ${w.settled}`);
    current = w.state;
    if (plan.stage === 'call') {
      await callOwnerStage(ctx, plan, current, notes);
      continue;
    }
    let deferrals = 0;
    for (;;) {
      const r = await sendStageReminder(ctx, plan.stage, current, settings, deferrals);
      if (r.status === 'settled') return finish(r.why, `invoice ${r.why}`);
      if (r.status === 'sent') notes.push(`${plan.stage}: ${r.channel} to ${r.to}${r.drafter === 'model' ? ' (model wording)' : ''}`);
      else if (r.status === 'skipped') notes.push(`${plan.stage}: skipped (${r.why})`);
      else if (r.status === 'not_sent') notes.push(`${plan.stage}: ${r.channel} to ${r.to} not sent (${r.why})`);
      if (r.status !== 'cap') break;
      // The 48 h cap: try once more when it allows, unless the next stage is due by then.
      if (++deferrals > MAX_CAP_DEFERRALS) {
        notes.push(`${plan.stage}: given up (${r.why})`);
        break;
      }
      const notBefore = new Date(r.notBefore);
      const next = todo[todo.indexOf(plan) + 1];
      if (next && next.at.getTime() <= notBefore.getTime()) {
        notes.push(`${plan.stage}: dropped for the 48 h cap (the next stage is due first)`);
        break;
      }
      notes.push(`${plan.stage}: held by the 48 h cap until ${notBefore.toISOString()}`);
      const again = await waitStage(`${plan.stage}-cap${deferrals}`, notBefore, `payment of invoice ${label} (the next reminder keeps 48 h after the last one)`);
      if ('settled' in again) return finish(again.settled, `invoice ${again.settled}`);
      current = again.state;
    }
  }
  // After the call task: keep listening for the payment (so the ledger sees money recovered late).
  const last = plans[plans.length - 1]!;
  const watchUntil = new Date(last.at.getTime() + settings.watch_days_after_call * DAY_MS);
  const w = await waitStage('watch', watchUntil, `payment of invoice ${label} after your call`);
  if ('settled' in w) return finish(w.settled, `invoice ${w.settled}`);
  return finish('finished', 'sequence over, still unpaid');
}

/** The +30 stage: the owner's call task (signal `invoice_call_owner`, high) and an SMS notice to the owner. */
async function callOwnerStage(ctx: RunContext, plan: StagePlan, inv: InvoiceState, notes: string[]): Promise<void> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const reminders = await ctx.step('call.record', async () => {
    const r = await reserveReminder(db, { tenantId: tenant.id, invoiceId: inv.id, runId: ctx.runId, stage: 'call', channel: 'owner_call', recipient: tenant.owner.phone ?? null, now: clock.now(), capHours: 0 });
    if (r.ok) await setReminderOutcome(db, r.reminderId, 'call_task');
    return sentReminderCount(db, inv.id);
  });
  const now = await ctx.now('call.now');
  const data: InvoiceCallOwnerData = {
    invoiceId: inv.id, number: inv.number, balanceCents: inv.balanceCents, currency: inv.currency, dueAt: inv.dueAt!, daysLate: daysLate(inv.dueAt!, now, tenant.timeZone),
    customerName: inv.name, phone: inv.phone, customerEmail: inv.email, contactId: inv.contactId, remindersSent: reminders,
  };
  await ctx.raise('call.signal', { kind: INVOICE_CALL_OWNER, subject: inv.id, dedupKey: `invoice_call_owner:${inv.id}`, severity: 'high', data: data as unknown as Record<string, unknown> });
  const notified = await notifyOwnerToCall(ctx, 'call.notify', data);
  notes.push(`call: task for the owner${notified ? ' (owner texted)' : ''} at ${plan.at.toISOString()}`);
}

/** Ends the chase row and writes the ledger: `invoice_recovered` when paid after a sent reminder, else `invoice_chase` minutes. */
async function finishChase(ctx: RunContext, invoiceId: string, label: string, how: 'paid' | 'void' | 'finished' | 'stopped', why: string, notes: string[]): Promise<RunOutcome> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const res = await ctx.step('finish', async () => {
    const chase = await db.selectFrom('invoice_chases').select(['balance_cents_at_start']).where('invoice_id', '=', invoiceId).executeTakeFirstOrThrow();
    const sent = await sentReminderCount(db, invoiceId);
    const inv = await readInvoiceState(db, tenant.id, invoiceId);
    const recovered = how === 'paid' ? Math.max(0, Number(chase.balance_cents_at_start) - Math.max(0, inv?.balanceCents ?? 0)) : 0;
    await endChase(db, invoiceId, how, why, clock.now());
    if (how === 'paid' && sent > 0 && recovered > 0) {
      await recordLedgerEntry(db, { tenantId: tenant.id, runId: ctx.runId, category: 'invoice_recovered', valueCents: recovered, minutesSaved: sent * MINUTES_PER_REMINDER, note: `invoice ${label}, paid after ${sent} reminder${sent === 1 ? '' : 's'}` });
    } else if (sent > 0) {
      await recordLedgerEntry(db, { tenantId: tenant.id, runId: ctx.runId, category: 'invoice_chase', minutesSaved: sent * MINUTES_PER_REMINDER, note: `invoice ${label}: ${sent} reminder${sent === 1 ? '' : 's'}, ${how}` });
    }
    return { sent, recovered, currency: inv?.currency ?? tenant.currency };
  });
  const money = res.recovered > 0 ? `, ${formatAmount(res.recovered, res.currency, tenant.locale)} recovered` : '';
  const head = how === 'paid' ? `invoice ${label} paid after ${res.sent} reminder${res.sent === 1 ? '' : 's'}${money}` : how === 'void' ? `invoice ${label} voided; chase stopped` : `invoice ${label}: ${why}`;
  return { summary: [head, ...notes].join('; '), resolved: how !== 'finished' };
}

/** `invoice_due_soon` → the chase from its first stage. */
export const invoiceChase = definePlaybook({
  id: 'invoice-chase',
  version: 1,
  title: 'Chase an unpaid invoice',
  trigger: { signal: INVOICE_DUE_SOON },
  settings: InvoiceChaseSettings,
  minutesPerRun: MINUTES_PER_REMINDER,
  run: (ctx, input) => runChase(ctx, input, ctx.settings),
});

/**
 * `invoice_overdue` → the same chase for an invoice first seen already overdue: it starts at the
 * latest stage already due; when the invoice is chased already (its due-soon run), it does nothing.
 * Its settings are `playbooks.invoice-chase` (its own section only says `enabled`).
 */
export const invoiceChaseOverdue = definePlaybook({
  id: 'invoice-chase-overdue',
  version: 1,
  title: 'Chase an invoice first seen overdue',
  trigger: { signal: INVOICE_OVERDUE },
  settings: z.object({ enabled: z.boolean().default(true) }).strict(),
  minutesPerRun: MINUTES_PER_REMINDER,
  run: (ctx, input) => {
    const shared = (ctx.tenant.playbookSettings[invoiceChase.id] as InvoiceChaseSettingsT | undefined) ?? InvoiceChaseSettings.parse({});
    return runChase(ctx, input, shared);
  },
});
