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
 * due date, payment link or instructions) is always appended from the record. French for a
 * `fr*` locale ("vous"), English otherwise. Pure.
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
  const fr = i.locale.toLowerCase().startsWith('fr');
  const s = fr ? frenchStage(i, amount, due, owner) : byStage[i.stage];
  const L = fr
    ? { number: 'Facture', amount: 'Montant dû', due: 'Échéance', online: 'Payer en ligne', how: 'Mode de paiement', reply: 'répondez à ce courriel et nous vous enverrons les détails.', none: '(sans numéro)' }
    : { number: 'Invoice', amount: 'Amount due', due: 'Due date', online: 'Pay online', how: 'How to pay', reply: 'reply to this email and we will send the details.', none: '(no number)' };
  const pay = i.paymentUrl ? `${L.online}: ${i.paymentUrl}` : i.paymentInstructions ? `${L.how}: ${i.paymentInstructions}` : `${L.how}: ${L.reply}`;
  const facts = [`${L.number}: ${i.number ?? L.none}`, `${L.amount}: ${amount}`, `${L.due}: ${due}`, pay].join('\n');
  const smsPay = i.paymentUrl ? ` ${fr ? 'Payer' : 'Pay'}: ${i.paymentUrl}` : i.paymentInstructions ? ` ${i.paymentInstructions}` : '';
  const sms = `${i.businessName}: ${who ? `${who}, ` : ''}${s.sms}${smsPay} ${signOff}`;
  const hello = fr ? (who ? `Bonjour ${who},` : 'Bonjour,') : greeting;
  return { subject: s.subject, message: s.message, facts, greeting: hello, signOff, sms };
}

/** The French texts of a stage ("vous", per the voice rules of a French-speaking business). */
function frenchStage(i: InvoiceReminderInput, amount: string, due: string, owner: string | null): { subject: string; message: string; sms: string } {
  const inv = i.number ? `la facture ${i.number}` : 'votre facture';
  const Inv = i.number ? `La facture ${i.number}` : 'Votre facture';
  const late = `${i.daysLate} jour${i.daysLate > 1 ? 's' : ''}`;
  const call = owner ? `${owner} vous appellera` : 'nous vous appellerons';
  switch (i.stage) {
    case 'before':
      return { subject: `${i.number ? `Facture ${i.number}` : 'Votre facture'} de ${i.businessName} : ${amount} à payer le ${due}`, message: `Petit rappel : ${inv} est à payer le ${due}. Si vous l'avez déjà réglée, merci, et ne tenez pas compte de ce message.`, sms: `petit rappel, ${inv} de ${amount} est à payer le ${due}.` };
    case 'due':
      return i.daysLate === 0
        ? { subject: `${Inv} est à payer aujourd'hui : ${amount}`, message: `Un rappel : ${inv} est à payer aujourd'hui. Si le paiement est déjà en route, merci!`, sms: `${inv} de ${amount} est à payer aujourd'hui.` }
        : { subject: `Rappel : ${inv} était à payer le ${due}`, message: `Un rappel : ${inv} était à payer le ${due}. Si le paiement est déjà en route, merci!`, sms: `${inv} de ${amount} était à payer le ${due}.` };
    case 'plus7':
      return { subject: `En retard : ${inv} (${amount}, échue le ${due})`, message: `${Inv} était à payer le ${due} et est maintenant en retard de ${late}. Merci de prévoir le paiement cette semaine, ou de nous répondre pour nous dire quand l'attendre.`, sms: `${inv} de ${amount} était à payer le ${due} et est en retard de ${late}. Merci de la régler cette semaine.` };
    case 'plus14':
      return { subject: `Dernier rappel : ${inv} est en retard de ${late}`, message: `Ceci est notre dernier rappel : ${inv} était à payer le ${due} et est maintenant en retard de ${late}. Merci de régler le solde d'ici 7 jours, ou de nous répondre pour nous dire ce qui bloque. Sinon, ${call} à ce sujet.`, sms: `dernier rappel, ${inv} de ${amount} est en retard de ${late}. Merci de payer d'ici 7 jours, sinon ${call}.` };
  }
}

/** The email body: greeting, the stage's message (the template's or a checked rephrasing), facts, sign-off. */
export function reminderEmailBody(t: InvoiceReminderText, message: string = t.message): string {
  return `${t.greeting}\n\n${message}\n\n${t.facts}\n\n${t.signOff}\n`;
}
