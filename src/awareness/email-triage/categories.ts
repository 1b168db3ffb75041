/**
 * The fixed set of inbox categories (issue 10). A model may only ever answer one of these; the
 * offline classifier learns only these labels; a relabel to anything else is refused.
 */
export const TRIAGE_CATEGORIES = ['lead', 'customer_request', 'scheduling', 'billing', 'vendor', 'newsletter', 'spam', 'personal'] as const;

/** One inbox category. */
export type TriageCategory = (typeof TRIAGE_CATEGORIES)[number];

/** True when `v` is one of {@link TRIAGE_CATEGORIES}. */
export function isTriageCategory(v: unknown): v is TriageCategory {
  return typeof v === 'string' && (TRIAGE_CATEGORIES as readonly string[]).includes(v);
}

/** One line per category, for the model's instructions and the owner's help text. */
export const CATEGORY_HELP: Record<TriageCategory, string> = {
  lead: 'someone new asking for a quote, a price or the service for the first time',
  customer_request: 'an existing customer asking a question or for help about work done or under way',
  scheduling: 'booking, moving or cancelling an appointment or a visit',
  billing: 'invoices, payments, receipts, refunds sent by a customer',
  vendor: "the business's own suppliers and service providers (orders, deliveries, their invoices)",
  newsletter: 'marketing, newsletters, mailing lists, notifications sent in bulk',
  spam: 'unsolicited junk, scams, phishing',
  personal: "the owner's friends and family, not business",
};

/** IMAP keyword (or folder) for a category: `AIOS/Lead`, `AIOS/Customer_request`, … */
export function categoryLabel(c: TriageCategory): string {
  return `AIOS/${c.charAt(0).toUpperCase()}${c.slice(1)}`;
}
