import { firstName } from '../../core/sanitize-name.js';

/** The tone of a reminder stage (see `autonomy/invoices/chase-stages.ts`). */
export type ReminderTone = 'friendly' | 'firm' | 'final';
/** Which reminder: before the due date, on it, or overdue. */
export type ReminderStage = 'before' | 'due' | 'plus7' | 'plus14';

/** Everything a reminder says, all from the invoice record and the tenant's files (never from a model). */
export interface InvoiceReminderInput {
  stage: ReminderStage;
  businessName: string;
  /** The owner's first name, for "Sam will call you". */
  ownerName: string | null;
  /** The customer's name as recorded on the invoice (outside text: cleaned, first word used). */
  customerName: string | null;
  /** Invoice number, or null (then "your invoice"). */
  number: string | null;
  balanceCents: number;
  /** ISO 4217. */
  currency: string;
  dueAt: Date;
  /** Whole days past the due date at sending (0 before or on the due date). */
  daysLate: number;
  /** The invoice's payment page, from the record. */
  paymentUrl: string | null;
  /** How to pay when there is no link (tenant setting `payment_instructions`). */
  paymentInstructions: string | null;
  /** From the voice file; default "— <owner>, <business>". */
  signOff: string | null;
  locale: string;
  timeZone: string;
}

/** A reminder: subject, the stage's message paragraph, and the full email / SMS texts. */
export interface InvoiceReminderText {
  subject: string;
  /** The paragraph a model may rephrase (no figures in it need to survive: the facts block has them). */
  message: string;
  /** The facts block, built from the record only. */
  facts: string;
  greeting: string;
  signOff: string;
  sms: string;
}

/** The amount in the invoice's currency, in the tenant's locale, e.g. "$1,250.00". */
export function formatAmount(cents: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

/** The due date as a long local date, e.g. "December 15, 2026". */
export function formatDueDate(at: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone }).format(at);
}

/**
 * The offline reminder for one stage. Tone escalates: `before` and `due` friendly, `plus7` firm,
 * `plus14` final (it says the owner will call next). The facts block (invoice number, amount,
 * due date, payment link or instructions) is always appended from the record. Pure.
 */
export function invoiceReminderText(i: InvoiceReminderInput): InvoiceReminderText {
  const amount = formatAmount(i.balanceCents, i.currency, i.locale);
  const due = formatDueDate(i.dueAt, i.locale, i.timeZone);
  const inv = i.number ? `invoice ${i.number}` : 'your invoice';
  const Inv = i.number ? `Invoice ${i.number}` : 'Your invoice';
  const owner = i.ownerName ? firstName(i.ownerName) ?? i.ownerName : null;
  const who = firstName(i.customerName);
  const greeting = who ? `Hi ${who},` : 'Hello,';
  const signOff = i.signOff ?? `— ${owner ? `${owner}, ` : ''}${i.businessName}`;
  const late = `${i.daysLate} day${i.daysLate === 1 ? '' : 's'}`;
  const byStage: Record<ReminderStage, { subject: string; message: string; sms: string }> = {
    before: {
      subject: `${Inv} from ${i.businessName}: ${amount} due ${due}`,
      message: `A friendly reminder that ${inv} is due on ${due}. If you have already paid, thank you, and please ignore this note.`,
      sms: `friendly reminder, ${inv} for ${amount} is due ${due}.`,
    },
    // Sent on the due date, or later when the 48 h cap or a late start pushed it back.
    due: i.daysLate === 0
      ? { subject: `${Inv} is due today: ${amount}`, message: `Just a reminder that ${inv} is due today. If the payment is already on its way, thank you!`, sms: `${inv} for ${amount} is due today.` }
      : { subject: `Reminder: ${inv} was due ${due}`, message: `Just a reminder that ${inv} was due on ${due}. If the payment is already on its way, thank you!`, sms: `${inv} for ${amount} was due ${due}.` },
    plus7: {
      subject: `Overdue: ${inv} (${amount}, due ${due})`,
      message: `${Inv} was due on ${due} and is now ${late} overdue. Please arrange payment this week, or reply to let us know when we can expect it.`,
      sms: `${inv} for ${amount} was due ${due} and is now ${late} overdue. Please arrange payment this week.`,
    },
    plus14: {
      subject: `Final reminder: ${inv} is ${late} overdue`,
      message: `This is our final reminder: ${inv} was due on ${due} and is now ${late} overdue. Please pay the balance within 7 days, or reply to tell us what is holding it up. After that, ${owner ?? 'we'} will call you about it.`,
      sms: `final reminder, ${inv} for ${amount} is ${late} overdue. Please pay within 7 days or ${owner ?? 'we'} will call you.`,
    },
  };
  const s = byStage[i.stage];
  const pay = i.paymentUrl ? `Pay online: ${i.paymentUrl}` : i.paymentInstructions ? `How to pay: ${i.paymentInstructions}` : 'How to pay: reply to this email and we will send the details.';
  const facts = [`Invoice: ${i.number ?? '(no number)'}`, `Amount due: ${amount}`, `Due date: ${due}`, pay].join('\n');
  const smsPay = i.paymentUrl ? ` Pay: ${i.paymentUrl}` : i.paymentInstructions ? ` ${i.paymentInstructions}` : '';
  const sms = `${i.businessName}: ${who ? `${who}, ` : ''}${s.sms}${smsPay} ${signOff}`;
  return { subject: s.subject, message: s.message, facts, greeting, signOff, sms };
}

/** The email body: greeting, the stage's message (the template's or a checked rephrasing), facts, sign-off. */
export function reminderEmailBody(t: InvoiceReminderText, message: string = t.message): string {
  return `${t.greeting}\n\n${message}\n\n${t.facts}\n\n${t.signOff}\n`;
}
