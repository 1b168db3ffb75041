import { describe, it, expect } from 'vitest';
import { invoiceReminderText, reminderEmailBody, type InvoiceReminderInput, type InvoiceReminderText } from './invoice-reminder.js';
import { reminderMessageProblem } from '../drafts/invoice-reminder-draft.js';

const base: InvoiceReminderInput = {
  stage: 'before', businessName: 'Maple Plumbing', ownerName: 'Dana Smith', customerName: 'Ana Lopez', number: 'INV-1001', balanceCents: 125000, currency: 'CAD',
  dueAt: new Date('2026-12-10T17:00:00Z'), daysLate: 0, paymentUrl: null, paymentInstructions: 'Interac e-Transfer to pay@maple.example', signOff: '— Dana & the Maple team', locale: 'en-CA', timeZone: 'America/Toronto',
};

describe('invoiceReminderText', () => {
  it('escalates friendly → firm → final and always carries the record’s figures', () => {
    const before = invoiceReminderText(base);
    const firm = invoiceReminderText({ ...base, stage: 'plus7', daysLate: 7 });
    const final = invoiceReminderText({ ...base, stage: 'plus14', daysLate: 14 });
    expect(before.subject).toBe('Invoice INV-1001 from Maple Plumbing: $1,250.00 due December 10, 2026');
    expect(before.message).toMatch(/^A friendly reminder/);
    expect(firm.subject).toBe('Overdue: invoice INV-1001 ($1,250.00, due December 10, 2026)');
    expect(firm.message).toContain('now 7 days overdue. Please arrange payment this week');
    expect(final.subject).toBe('Final reminder: invoice INV-1001 is 14 days overdue');
    expect(final.message).toContain('Dana will call you');
    for (const t of [before, firm, final]) {
      const body = reminderEmailBody(t);
      expect(body).toContain('Invoice: INV-1001\nAmount due: $1,250.00\nDue date: December 10, 2026\nHow to pay: Interac e-Transfer to pay@maple.example');
      expect(body.startsWith('Hi Ana,')).toBe(true);
      expect(body.trimEnd().endsWith('— Dana & the Maple team')).toBe(true);
    }
  });
  it('a due-stage reminder sent late says "was due", a link from the record wins over instructions, no name → Hello', () => {
    const t = invoiceReminderText({ ...base, stage: 'due', daysLate: 1, paymentUrl: 'https://invoice.stripe.com/i/abc', customerName: null });
    expect(t.subject).toBe('Reminder: invoice INV-1001 was due December 10, 2026');
    expect(t.greeting).toBe('Hello,');
    expect(t.facts).toContain('Pay online: https://invoice.stripe.com/i/abc');
    expect(t.sms).toBe('Maple Plumbing: invoice INV-1001 for $1,250.00 was due December 10, 2026. Pay: https://invoice.stripe.com/i/abc — Dana & the Maple team');
  });
  it('cleans an outside customer name (no link smuggled into the greeting)', () => {
    expect(invoiceReminderText({ ...base, customerName: 'http://evil.example Bob' }).greeting).not.toContain('http');
  });
});

describe('invoiceReminderText in French (locale fr-CA)', () => {
  it('writes the stages in French with "vous", French figures and labels', () => {
    const fr = { ...base, locale: 'fr-CA' };
    const sp = (x: InvoiceReminderText) => JSON.parse(JSON.stringify(x).replace(/[\u00a0\u202f]/g, ' ')) as InvoiceReminderText; // Intl's narrow spaces
    const before = sp(invoiceReminderText(fr));
    expect(before.subject).toBe('Facture INV-1001 de Maple Plumbing : 1 250,00 $ à payer le 10 décembre 2026');
    expect(before.greeting).toBe('Bonjour Ana,');
    expect(before.facts).toBe('Facture: INV-1001\nMontant dû: 1 250,00 $\nÉchéance: 10 décembre 2026\nMode de paiement: Interac e-Transfer to pay@maple.example');
    const final = invoiceReminderText({ ...fr, stage: 'plus14', daysLate: 14 });
    expect(final.subject).toBe('Dernier rappel : la facture INV-1001 est en retard de 14 jours');
    expect(final.message).toContain('Sinon, Dana vous appellera à ce sujet.');
    expect(invoiceReminderText({ ...fr, number: null }).subject).toMatch(/^Votre facture de Maple Plumbing/);
  });
});

describe('reminderMessageProblem (a model may only reword the paragraph)', () => {
  it('refuses figures, links, addresses, currency signs and the voice file’s banned phrases', () => {
    expect(reminderMessageProblem('Please pay the 500 now', [])).toMatch(/digit/);
    expect(reminderMessageProblem('Pay at https://evil.example now please', [])).toMatch(/link/);
    expect(reminderMessageProblem('Write to x@attacker.example please', [])).toMatch(/email/);
    expect(reminderMessageProblem('Send us $ please, thank you kindly', [])).toMatch(/currency/);
    expect(reminderMessageProblem('No worries, pay when you can.', ['no worries'])).toMatch(/banned/);
    expect(reminderMessageProblem('A gentle reminder that this invoice is due soon. Thank you!', ['no worries'])).toBeNull();
  });
});
