/**
 * The back office's signal kinds (issue 10): the contract between the watchers that raise them
 * (`src/awareness/`) and the playbooks they start (`src/autonomy/playbooks/`). Each kind names
 * its `signals.subject`, its dedup key and the shape of `signals.data`. A playbook reads only
 * these fields; a watcher fills all of them.
 */

/** A new inbound email was filed (one per message). Subject: the sender's address. Dedup `email_received:<eventId>`. Starts `inbox-triage`. */
export const EMAIL_RECEIVED = 'email_received';
/** Data of {@link EMAIL_RECEIVED}. */
export interface EmailReceivedData {
  /** The `events` row of the mail (payload = the parsed mail). */
  eventId: string;
  /** The connection the mail came through (its mailbox gets the label / move). */
  connectionId: string | null;
  /** RFC 5322 Message-ID with angle brackets, or null when the mail had none. */
  messageId: string | null;
  conversationId: string;
  contactId: string;
  from: string;
  subject: string | null;
}

/** A customer's email has waited longer than N business hours for an answer. Subject: the address. Dedup `email_unanswered:<conversationId>:<last inbound message id>`. Resolves when a reply is sent. */
export const EMAIL_UNANSWERED = 'email_unanswered';
/** Data of {@link EMAIL_UNANSWERED}. */
export interface EmailUnansweredData {
  conversationId: string;
  contactId: string;
  address: string;
  /** When the unanswered mail arrived (ISO 8601). */
  since: string;
  /** Business hours it has waited so far (hours, one decimal). */
  businessHours: number;
}

/** A deal had no activity for N days in its stage. Subject: the deal id. Dedup `deal_stalled:<dealId>:<stage>:<last activity ISO>`. Starts `stalled-deal-nudge`. Resolves on new activity or stage change. */
export const DEAL_STALLED = 'deal_stalled';
/** Data of {@link DEAL_STALLED}. */
export interface DealStalledData {
  dealId: string;
  contactId: string | null;
  stage: string;
  /** Last message, note or stage change on the deal (ISO 8601). */
  lastActivityAt: string;
  /** Whole days without activity. */
  days: number;
}

/** An unpaid invoice falls due within N days. Subject: the invoice id. Dedup `invoice_due_soon:<invoiceId>`. Starts `invoice-chase`. Resolves when paid or void. */
export const INVOICE_DUE_SOON = 'invoice_due_soon';
/** An unpaid invoice is past its due date. Subject: the invoice id. Dedup `invoice_overdue:<invoiceId>`. Starts `invoice-chase` when no chase runs for the invoice yet. Resolves when paid or void. */
export const INVOICE_OVERDUE = 'invoice_overdue';
/** Data of {@link INVOICE_DUE_SOON} and {@link INVOICE_OVERDUE}. */
export interface InvoiceSignalData {
  invoiceId: string;
  number: string | null;
  /** ISO 8601. */
  dueAt: string;
  /** Still owed, in cents (amount minus paid). */
  balanceCents: number;
  currency: string;
  customerEmail: string | null;
  customerName: string | null;
  contactId: string | null;
}

/** A calendar event with a customer attendee has ended. Subject: the calendar event id. Dedup `meeting_ended:<calendarEventId>:<ends_at ISO>`. Starts `meeting-follow-up`. */
export const MEETING_ENDED = 'meeting_ended';
/** N hours after a meeting ended no follow-up was sent. Subject: the calendar event id. Dedup `meeting_no_follow_up:<calendarEventId>:<ends_at ISO>`. Resolves when a follow-up is sent. */
export const MEETING_NO_FOLLOW_UP = 'meeting_no_follow_up';
/** Data of {@link MEETING_ENDED} and {@link MEETING_NO_FOLLOW_UP}. */
export interface MeetingSignalData {
  calendarEventId: string;
  summary: string | null;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string;
  /** Attendees other than the business's own addresses; may be empty (then the run skips, with a reason). */
  attendees: Array<{ email: string; name: string | null }>;
  /** The first attendee's contact, when known. */
  contactId: string | null;
  /** The event's DESCRIPTION: notes or a pasted transcript (untrusted outside text). */
  notes: string | null;
}

/** A knowledge file (or a price in it) reaches its `valid_until` within N days. Subject: the file path. Dedup `knowledge_expiring:<file>:<valid_until>`. (Already past: `knowledge_expired`, `src/knowledge/expiry.ts`.) */
export const KNOWLEDGE_EXPIRING = 'knowledge_expiring';
/** Data of {@link KNOWLEDGE_EXPIRING}. */
export interface KnowledgeExpiringData {
  file: string;
  /** `YYYY-MM-DD`. */
  validUntil: string;
  daysLeft: number;
}

/** The owner asked for a proposal on a deal (API / CLI). Subject: the deal id. Dedup `proposal_requested:<dealId>:<request id>`. Starts `proposal`. */
export const PROPOSAL_REQUESTED = 'proposal_requested';
/** Data of {@link PROPOSAL_REQUESTED}. */
export interface ProposalRequestedData {
  dealId: string;
  /** Who asked (`<kind>:<principal id>`). */
  requestedBy: string;
  /** The owner's words on what to quote (API/CLI `notes`), read as a request like the customer's messages. Additive (helper D). */
  notes?: string;
}

/** (Added by invoice chasing.) The +30-day stage of an invoice chase: the owner should phone the customer. Subject: the invoice id. Dedup `invoice_call_owner:<invoiceId>`. Severity high. Raised by the `invoice-chase` run (`ctx.raise`); no playbook starts on it. Resolves when paid or void. */
export const INVOICE_CALL_OWNER = 'invoice_call_owner';
/** Data of {@link INVOICE_CALL_OWNER}. */
export interface InvoiceCallOwnerData {
  invoiceId: string;
  number: string | null;
  balanceCents: number;
  currency: string;
  /** ISO 8601. */
  dueAt: string;
  daysLate: number;
  customerName: string | null;
  /** The customer's phone to call, when known. */
  phone: string | null;
  customerEmail: string | null;
  contactId: string | null;
  /** Reminders already sent (email / SMS). */
  remindersSent: number;
}

/** The owner relabelled a triaged email (API / CLI). Subject: the sender. Dedup `email_relabelled:<correction id>`. Starts `email-relabel` (the mailbox label follows). Added by inbox triage. */
export const EMAIL_RELABELLED = 'email_relabelled';
/** Data of {@link EMAIL_RELABELLED}. */
export interface EmailRelabelledData {
  triageId: string;
  eventId: string;
  connectionId: string | null;
  messageId: string | null;
  from: string;
  /** The new category and the one it replaces. */
  category: string;
  previous: string;
}
