/**
 * Minutes of a person's time one action saves, per kind of work: the ONE source of truth shared
 * by the audit's estimates (`audit/catalog.ts`) and the measured ledger (`ledger-summary.ts`).
 * Each default says where it comes from; the owner overrides them per ledger category in
 * tenant.yaml `roi.minutes: { missed_call_text_back: 4 }` (or `PATCH /api/v1/ledger/roi`).
 */
export interface ActionMinutes {
  /** Minutes a person would spend doing one action by hand. */
  minutes: number;
  /** Where the number comes from, in one sentence (shown beside it). */
  source: string;
}

/**
 * The kinds of work, by the audit's name for them. Each is "about N minutes by hand", the
 * owner-operator's estimate the audit states (AIOS does not time people).
 */
export const ACTION_KINDS = {
  missedCallBack: { minutes: 3, source: 'Calling each one back by hand takes about 3 min' },
  callAnswered: { minutes: 4, source: 'A callback with the questions takes about 4 min' },
  leadFirstAnswer: { minutes: 5, source: 'Writing a first answer takes about 5 min' },
  bookingBackAndForth: { minutes: 10, source: 'Finding a time back and forth takes about 10 min' },
  reviewAsk: { minutes: 2, source: 'Asking by hand takes about 2 min' },
  invoiceChase: { minutes: 10, source: 'Chasing one by mail and phone takes about 10 min' },
  emailSort: { minutes: 1, source: 'Reading and sorting one takes about 1 min' },
  proposalWrite: { minutes: 30, source: 'Writing a proposal takes about 30 min' },
  meetingFollowUp: { minutes: 10, source: 'Writing a follow-up takes about 10 min' },
  dealNudge: { minutes: 3, source: 'A check-in by hand takes about 3 min' },
  socialPost: { minutes: 45, source: 'Writing and designing a post takes about 45 min' },
  documentCheck: { minutes: 6, source: 'Reading one document against the checklist and the rest of its package takes about 6 min' },
  textReply: { minutes: 3, source: 'Reading a customer\'s text and answering it takes about 3 min' },
  textSend: { minutes: 2, source: 'Typing and sending one text takes about 2 min' },
} as const satisfies Record<string, ActionMinutes>;
export type ActionKind = keyof typeof ACTION_KINDS;

/**
 * The ledger categories AIOS writes (`src/autonomy/playbooks`) and the kind of work each entry is:
 * one entry = one action. A category not listed (e.g. `ai.*` model calls, `no_show`) counts the
 * minutes its entries recorded.
 */
export const CATEGORY_KINDS: Record<string, ActionKind> = {
  missed_call_text_back: 'missedCallBack',
  call_answered: 'callAnswered',
  lead_response: 'leadFirstAnswer',
  booking: 'bookingBackAndForth',
  review_request: 'reviewAsk',
  invoice_chase: 'invoiceChase',
  invoice_recovered: 'invoiceChase',
  inbound_answer: 'textReply',
  proposed_sms: 'textSend',
  content_post: 'socialPost',
};

/** The categories whose minutes the owner may set (`roi.minutes` keys). */
export const ROI_CATEGORIES = Object.keys(CATEGORY_KINDS);

/** Minutes per action of one ledger category, with whether the owner set it or it is the default. */
export interface CategoryMinutes extends ActionMinutes {
  category: string;
  /** `answered`: set by the owner (tenant.yaml `roi.minutes`); `assumed`: the default above. */
  basis: 'answered' | 'assumed';
}

/** Minutes per action of every known category, the owner's `roi.minutes` over the defaults. */
export function categoryMinutes(overrides: Readonly<Record<string, number>> = {}): CategoryMinutes[] {
  return ROI_CATEGORIES.map((category) => {
    const d = ACTION_KINDS[CATEGORY_KINDS[category]!];
    const set = overrides[category];
    return set === undefined
      ? { category, minutes: d.minutes, source: d.source, basis: 'assumed' as const }
      : { category, minutes: set, source: `set by the owner (default ${d.minutes} min: ${d.source})`, basis: 'answered' as const };
  });
}
