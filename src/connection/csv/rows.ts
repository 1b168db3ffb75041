import type { InvoiceStatus } from '../framework/tables.js';
import { cell, columnOf, type Field, type ResolvedFormat } from './formats.js';
import { isProblem, normalizePhone, parseDate, parseEmail, parseMoneyCents, type Parsed } from './values.js';

/** One problem with one row: line number in the file (header = 1), column and what is wrong. */
export interface RowError {
  row: number;
  column: string;
  problem: string;
}

export interface ContactRow {
  row: number;
  name: string | null;
  phone: string | null;
  email: string | null;
  deal: { title: string; valueCents: number | null; stage: string; currency: string | null } | null;
}

export interface InvoiceRowIn {
  row: number;
  number: string;
  customerName: string | null;
  customerEmail: string | null;
  issuedAt: Date | null;
  dueAt: Date | null;
  amountCents: number;
  amountPaidCents: number;
  currency: string | null;
  status: InvoiceStatus;
}

class Collector {
  errors: RowError[] = [];
  constructor(readonly fmt: ResolvedFormat, readonly record: Record<string, string>, readonly row: number) {}
  text(f: Field): string | null {
    return cell(this.fmt, this.record, f)?.value ?? null;
  }
  parsed<T>(f: Field, parse: (raw: string) => Parsed<T>): T | null {
    const c = cell(this.fmt, this.record, f);
    if (!c) return null;
    const v = parse(c.value);
    if (isProblem(v)) {
      this.errors.push({ row: this.row, column: c.column, problem: v.problem });
      return null;
    }
    return v;
  }
  fail(f: Field, problem: string): void {
    this.errors.push({ row: this.row, column: columnOf(this.fmt, f), problem });
  }
}

/** Validates one contacts record; returns the row or its errors (a row with any error is skipped). */
export function toContactRow(fmt: ResolvedFormat, record: Record<string, string>, row: number, country?: string): { value: ContactRow } | { errors: RowError[] } {
  const c = new Collector(fmt, record, row);
  const phone = c.parsed('phone', (v) => normalizePhone(v, country));
  const email = c.parsed('email', parseEmail);
  const full = [c.text('first_name'), c.text('last_name')].filter(Boolean).join(' ');
  const name = c.text('name') ?? (full || null);
  if (!phone && !email && c.errors.length === 0) c.fail(fmt.fields.email ? 'email' : 'phone', 'no phone number or email: a contact needs one of them');
  let deal: ContactRow['deal'] = null;
  const title = c.text('deal_title');
  if (title) {
    const valueCents = c.parsed('deal_value', parseMoneyCents);
    if (valueCents !== null && valueCents < 0) c.fail('deal_value', 'a deal value cannot be negative');
    const currency = c.text('deal_currency')?.toUpperCase() ?? null;
    if (currency && !/^[A-Z]{3}$/.test(currency)) c.fail('deal_currency', `"${currency}" is not a currency code like CAD or USD`);
    deal = { title, valueCents, stage: (c.text('deal_stage') ?? c.text('stage') ?? 'new lead').toLowerCase(), currency };
  }
  return c.errors.length ? { errors: c.errors } : { value: { row, name, phone, email, deal } };
}

const STATUS: Record<string, InvoiceStatus | 'derive'> = {
  paid: 'paid', open: 'open', unpaid: 'open', partial: 'open', 'partially paid': 'open', authorised: 'open', authorized: 'open', submitted: 'open', sent: 'open',
  overdue: 'overdue', draft: 'draft', void: 'void', voided: 'void', deleted: 'void', uncollectible: 'uncollectible', 'written off': 'uncollectible', '': 'derive',
};

/**
 * Validates one invoices record. Status comes from the Status column (QuickBooks and Xero words
 * understood) or, when empty, from the balance: nothing due → paid, due date passed → overdue,
 * else open. `now` decides "passed".
 */
export function toInvoiceRow(fmt: ResolvedFormat, record: Record<string, string>, row: number, now: Date): { value: InvoiceRowIn } | { errors: RowError[] } {
  const c = new Collector(fmt, record, row);
  const number = c.text('number');
  if (!number) c.fail('number', 'no invoice number: it is how re-imports find the invoice');
  const amount = c.parsed('amount', parseMoneyCents);
  if (amount === null && !c.errors.some((e) => e.column === columnOf(fmt, 'amount'))) c.fail('amount', 'no amount');
  const due = c.parsed('amount_due', parseMoneyCents);
  const issuedAt = c.parsed('issued_at', (s) => parseDate(s, fmt.dateOrder));
  const dueAt = c.parsed('due_at', (s) => parseDate(s, fmt.dateOrder));
  const email = c.parsed('customer_email', parseEmail);
  const currency = c.text('currency')?.toUpperCase() ?? null;
  if (currency && !/^[A-Z]{3}$/.test(currency)) c.fail('currency', `"${currency}" is not a currency code like CAD or USD`);
  const word = (c.text('status') ?? '').toLowerCase();
  let status = STATUS[word];
  if (status === undefined) {
    c.fail('status', `unknown status "${word}" (expected paid, open, overdue, draft, void…)`);
    status = 'derive';
  }
  if (c.errors.length || amount === null || !number) return { errors: c.errors };
  const amountDue = due ?? (status === 'paid' ? 0 : amount);
  if (status === 'derive') status = amountDue <= 0 ? 'paid' : dueAt && dueAt.getTime() < now.getTime() ? 'overdue' : 'open';
  if (status === 'open' && amountDue > 0 && dueAt && dueAt.getTime() < now.getTime() && word === '') status = 'overdue';
  return {
    value: { row, number, customerName: c.text('customer_name'), customerEmail: email, issuedAt, dueAt, amountCents: amount, amountPaidCents: Math.max(0, amount - amountDue), currency, status },
  };
}
