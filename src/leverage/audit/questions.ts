import { z } from 'zod';

/**
 * The questions of the one-hour "CEO audit": the volumes and values that decide which automation
 * pays first. Each answer is a plain number in the unit the question states.
 */
export const AUDIT_KEYS = [
  'callsPerWeek', 'missedCallShare', 'leadsPerWeek', 'leadResponseHours', 'emailsPerDay',
  'invoicesPerMonth', 'lateInvoiceShare', 'averageJobValue', 'postsPerWeek', 'documentsPerWeek',
  'adminHoursPerWeek', 'hourlyValue',
] as const;
export type AuditKey = (typeof AUDIT_KEYS)[number];

/** One question: its wording, unit, and the widest sensible answer. */
export interface AuditQuestion {
  key: AuditKey;
  /** The question as asked, e.g. "Phone calls per week". */
  label: string;
  /** Unit of the answer: `per week`, `share` (0..1), `hours`, `dollars`, … */
  unit: 'per week' | 'per day' | 'per month' | 'share' | 'hours' | 'dollars' | 'dollars per hour' | 'hours per week';
  max: number;
  /** Whether AIOS can measure it from the business's history (calls, leads, mails, invoices). */
  measurable: boolean;
}

export const AUDIT_QUESTIONS: readonly AuditQuestion[] = [
  { key: 'callsPerWeek', label: 'Phone calls per week', unit: 'per week', max: 10_000, measurable: true },
  { key: 'missedCallShare', label: 'Share of calls missed (0-1)', unit: 'share', max: 1, measurable: true },
  { key: 'leadsPerWeek', label: 'New leads per week (forms, chats, mails)', unit: 'per week', max: 10_000, measurable: true },
  { key: 'leadResponseHours', label: 'Time to answer a new lead (hours)', unit: 'hours', max: 720, measurable: true },
  { key: 'emailsPerDay', label: 'Emails per day', unit: 'per day', max: 10_000, measurable: true },
  { key: 'invoicesPerMonth', label: 'Invoices per month', unit: 'per month', max: 100_000, measurable: true },
  { key: 'lateInvoiceShare', label: 'Share of invoices paid late (0-1)', unit: 'share', max: 1, measurable: true },
  { key: 'averageJobValue', label: 'Average job value ($)', unit: 'dollars', max: 10_000_000, measurable: true },
  { key: 'postsPerWeek', label: 'Social posts per week', unit: 'per week', max: 1_000, measurable: false },
  { key: 'documentsPerWeek', label: 'Documents checked per week', unit: 'per week', max: 10_000, measurable: false },
  { key: 'adminHoursPerWeek', label: 'Admin hours per week', unit: 'hours per week', max: 168, measurable: false },
  { key: 'hourlyValue', label: "The owner's hourly value ($/h)", unit: 'dollars per hour', max: 100_000, measurable: false },
];

/** Answers as sent by the owner: any subset of the keys (missing ones are measured or assumed). */
export const AuditAnswers = z.object(Object.fromEntries(AUDIT_QUESTIONS.map((q) => [q.key, z.number().min(0).max(q.max).optional()])) as Record<AuditKey, z.ZodOptional<z.ZodNumber>>).strict();
export type AuditAnswers = Partial<Record<AuditKey, number>>;

/** Where an input's value came from. */
export type InputSource = 'measured' | 'answered' | 'assumed';

/** One input of the scoring with its provenance. */
export interface AuditInput {
  key: AuditKey;
  label: string;
  unit: AuditQuestion['unit'];
  value: number;
  source: InputSource;
  /** How it was measured or assumed, e.g. "14 missed-call signals over 8 weeks" or "default for plumbing". */
  basis: string;
  /** The measurement window (ISO 8601), for `measured` inputs. */
  window?: { since: string; until: string };
}

/** A value measured from history (see `measureInputs`). */
export interface MeasuredValue {
  value: number;
  basis: string;
  window: { since: string; until: string };
}

type Defaults = Record<AuditKey, number>;

/** Assumed values when nothing is answered or measured: a small owner-operated business. */
const GENERIC: Defaults = {
  callsPerWeek: 40, missedCallShare: 0.25, leadsPerWeek: 8, leadResponseHours: 6, emailsPerDay: 30,
  invoicesPerMonth: 40, lateInvoiceShare: 0.3, averageJobValue: 450, postsPerWeek: 2, documentsPerWeek: 5,
  adminHoursPerWeek: 10, hourlyValue: 75,
};

/** Defaults by trade (matched on the words of `profile.trade`), over the generic ones. */
const BY_TRADE: Array<{ words: RegExp; name: string; values: Partial<Defaults> }> = [
  { words: /plumb|hvac|electric|roof|handyman|contractor|trade/i, name: 'trades (plumbing, HVAC, electrical)', values: { callsPerWeek: 60, missedCallShare: 0.3, leadsPerWeek: 10, averageJobValue: 450, invoicesPerMonth: 60, lateInvoiceShare: 0.3, postsPerWeek: 1, documentsPerWeek: 3, hourlyValue: 90 } },
  { words: /mortgage|broker|insur|financ|account/i, name: 'brokerage and finance', values: { callsPerWeek: 30, missedCallShare: 0.2, leadsPerWeek: 12, averageJobValue: 2500, invoicesPerMonth: 15, lateInvoiceShare: 0.1, documentsPerWeek: 25, hourlyValue: 120 } },
  { words: /coach|consult|therap|tutor/i, name: 'coaching and consulting', values: { callsPerWeek: 10, missedCallShare: 0.2, leadsPerWeek: 5, averageJobValue: 900, invoicesPerMonth: 20, postsPerWeek: 4, hourlyValue: 150 } },
  { words: /agency|marketing|design|studio/i, name: 'agencies', values: { callsPerWeek: 15, missedCallShare: 0.15, leadsPerWeek: 6, averageJobValue: 3000, invoicesPerMonth: 12, postsPerWeek: 5, documentsPerWeek: 10, hourlyValue: 130 } },
];

/** The assumed value of every input for a trade, and the words that say which defaults they are. */
export function tradeDefaults(trade: string | undefined): { values: Defaults; name: string } {
  const t = trade ? BY_TRADE.find((x) => x.words.test(trade)) : undefined;
  return t ? { values: { ...GENERIC, ...t.values }, name: `default for ${t.name}` } : { values: GENERIC, name: trade ? `generic default (no defaults for "${trade}")` : 'generic default (no trade in tenant.yaml profile.trade)' };
}

/**
 * The inputs of an audit: a measured value wins over an answer (history beats a guess), an answer
 * wins over the trade's default; each says which it is and why.
 */
export function resolveInputs(answers: AuditAnswers, measured: Partial<Record<AuditKey, MeasuredValue>>, trade: string | undefined): AuditInput[] {
  const d = tradeDefaults(trade);
  return AUDIT_QUESTIONS.map((q) => {
    const m = measured[q.key];
    const a = answers[q.key];
    const base = { key: q.key, label: q.label, unit: q.unit };
    if (m) return { ...base, value: m.value, source: 'measured' as const, basis: a !== undefined && a !== m.value ? `${m.basis} (replaces your answer ${a})` : m.basis, window: m.window };
    if (a !== undefined) return { ...base, value: a, source: 'answered' as const, basis: 'your answer' };
    return { ...base, value: d.values[q.key], source: 'assumed' as const, basis: d.name };
  });
}

/** The value of each input by key. */
export function inputValues(inputs: readonly AuditInput[]): Record<AuditKey, number> {
  return Object.fromEntries(inputs.map((i) => [i.key, i.value])) as Record<AuditKey, number>;
}
