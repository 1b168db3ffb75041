/**
 * The deterministic policy gate: decides whether a proposed external action runs by itself, waits
 * for the owner, or is refused. Only the tenant's policy and plain facts are consulted; never an AI
 * model. The same inputs always give the same decision.
 */
import type { Policy } from './policy-schema.js';
import { quietHoursRelease } from './quiet-hours.js';

/** `auto`: do it; `approve`: ask the owner first; `never`: refuse. */
export type Decision = 'auto' | 'approve' | 'never';

/** An external action AIOS would like to take. */
export interface ActionProposal {
  /** Action kind, a lowercase dotted name such as `sms.send`. */
  kind: string;
  /** What the action does to the outside world. Only `send` is subject to the messaging rules. */
  effect: 'read' | 'write' | 'send' | 'money';
  /** Who receives it (e.g. an E.164 phone number or email address); used in reason texts. */
  recipient?: string;
  /** Amount of money moved, in cents (minor units), for effect `money`. */
  amountCents?: number;
  /** The proposer's confidence, 0..1. Absent: the `min_confidence` rule does not apply. */
  confidence?: number;
  /**
   * Claims about price or policy in the content that the business's knowledge does not support
   * (from the knowledge layer's groundedness check). Any → approve: never sent unchecked.
   */
  unsupportedClaims?: string[];
  /**
   * Links in the content that are not the business's own (the outbound guard, `inspectOutbound`).
   * Any → approve, whoever wrote the text.
   */
  foreignLinks?: string[];
  /** Phone numbers in the content that are not the business's own. Any → approve. */
  foreignNumbers?: string[];
  /**
   * The recipient was chosen by whoever proposed the action (an MCP/API caller, possibly an
   * assistant obeying an injected instruction), not fixed by a playbook from its own trigger.
   * Such a recipient needs approval when they are a stranger (a first contact with no conversation,
   * `facts.inConversation`), whatever `first_contact` says.
   */
  recipientChosenByProposer?: boolean;
}

/** Facts about the world at decision time, gathered by the caller. */
export interface PolicyFacts {
  /** The instant of the decision. */
  now: Date;
  /** IANA time zone of the business, e.g. `America/Toronto`. */
  timeZone: string;
  /** The recipient has asked not to be contacted (e.g. replied STOP). */
  recipientOptedOut: boolean;
  /**
   * First contact: the business has never sent this recipient a message (no outbound message, no
   * sent or sending outbox row to the address) and the recipient is not a customer in the records
   * (imported contact, invoice, or a deal past "new lead"). What they sent us does not count.
   */
  isFirstContact: boolean;
  /** Messages already sent to this recipient since the local day began (see `localDayStart`). */
  sentToRecipientToday: number;
  /**
   * Of those, the ones sent after the recipient's own last message to us (default: all of them).
   * The daily limit counts these: texts answering someone who is writing to us are a conversation,
   * not a flood; {@link CONVERSATION_DAILY_FACTOR} × the limit still caps a whole day.
   */
  sentSinceTheirLastMessage?: number;
  /** A conversation with this recipient holds at least one message, either way (absent: unknown → treated as no). */
  inConversation?: boolean;
}

/** In a conversation (the recipient keeps writing), a day may hold this many times the daily limit. */
export const CONVERSATION_DAILY_FACTOR = 4;

/** One rule's contribution to a decision. */
export interface PolicyReason {
  /**
   * Rule name: `opted_out`, `action_kind`, `first_contact`, `daily_limit`, `money_threshold`,
   * `low_confidence`, `ungrounded`, `foreign_link`, `foreign_number`, `outside_conversation` or `quiet_hours`.
   */
  rule: string;
  /** What the rule asked for; `hold` means "not before `notBefore`". */
  decision: Decision | 'hold';
  /** One human-readable sentence. */
  detail: string;
}

/** The gate's answer for one proposal. */
export interface PolicyDecision {
  /** The strictest decision of all rules: never > approve > auto. */
  outcome: Decision;
  /** When set, the action must not run before this instant (quiet hours); otherwise `null`. */
  notBefore: Date | null;
  /** Every rule that gave a non-`auto` result, in evaluation order, then any `quiet_hours` hold. */
  reasons: PolicyReason[];
}

const RANK: Readonly<Record<Decision, number>> = { auto: 0, approve: 1, never: 2 };

/** Formats cents as a plain amount with two decimals, e.g. 50000 → "500.00". */
function amount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Decides a proposal under a policy.
 *
 * Rules, in order (`send` means `proposal.effect === 'send'`):
 * - `opted_out` (send): a recipient who opted out → never.
 * - `action_kind`: `policy.actions[kind]`, else `policy.default`.
 * - `first_contact` (send): first message to this recipient → `policy.first_contact`.
 * - `daily_limit` (send): texts today since the recipient last wrote `>= max_per_recipient_per_day`, or
 *   all texts today `>= max × CONVERSATION_DAILY_FACTOR` → `policy.over_limit`.
 * - `money_threshold` (money, when `policy.money` is set): above `never_over_cents` → never; above
 *   `approve_over_cents` → approve; a missing or invalid amount → approve.
 * - `low_confidence`: confidence below `min_confidence` (or not a number) → approve.
 * - `ungrounded`: a price or policy claim the knowledge does not support → approve (always).
 * - `foreign_link` / `foreign_number`: a link / phone number other than the business's own in the
 *   content (any effect) → approve (always).
 * - `outside_conversation` (send): a recipient chosen by the proposer (an MCP/API caller, not the
 *   run's trigger) with no conversation with the business — a stranger or an imported customer
 *   nobody has written with — → approve (always, even with `first_contact: auto`): "reply to all
 *   contacts" from an obeying assistant waits for the owner.
 *
 * The outcome is the strictest result. Unless it is `never`, quiet hours then apply to covered
 * actions (kinds listed in `quiet_hours.kinds`, else every `send`; never `read` or `write`): inside
 * the window, `notBefore` is the instant the window ends and a `hold` reason is added.
 * @param policy a validated policy (see `parsePolicy`).
 * @param proposal the action to decide.
 * @param facts the world at decision time.
 */
export function evaluatePolicy(policy: Policy, proposal: ActionProposal, facts: PolicyFacts): PolicyDecision {
  const reasons: PolicyReason[] = [];
  const add = (rule: string, decision: Decision, detail: string): void => {
    if (decision !== 'auto') reasons.push({ rule, decision, detail });
  };
  const isSend = proposal.effect === 'send';
  const who = proposal.recipient ?? 'the recipient';

  if (isSend && facts.recipientOptedOut) {
    add('opted_out', 'never', `${who} has opted out of messages`);
  }

  const listed = Object.hasOwn(policy.actions, proposal.kind) ? policy.actions[proposal.kind] : undefined;
  if (listed !== undefined) {
    add('action_kind', listed, `policy sets ${proposal.kind} to ${listed}`);
  } else {
    add('action_kind', policy.default, `${proposal.kind} is not listed in the policy; the default is ${policy.default}`);
  }

  if (isSend && facts.isFirstContact) {
    add('first_contact', policy.first_contact, `${who} has never had a message from us and is not a customer (first contact: ${policy.first_contact})`);
  }

  const max = policy.max_per_recipient_per_day;
  const unanswered = facts.sentSinceTheirLastMessage ?? facts.sentToRecipientToday;
  if (isSend && max !== undefined && (unanswered >= max || facts.sentToRecipientToday >= max * CONVERSATION_DAILY_FACTOR)) {
    const n = facts.sentToRecipientToday;
    const detail = unanswered >= max
      ? `${who} has had ${unanswered} message${unanswered === 1 ? '' : 's'} today without writing back (limit ${max})`
      : `${who} has had ${n} messages today (limit ${max * CONVERSATION_DAILY_FACTOR} in a conversation)`;
    add('daily_limit', policy.over_limit, detail);
  }

  const money = policy.money;
  if (proposal.effect === 'money' && money) {
    const cents = proposal.amountCents;
    if (cents === undefined || !Number.isFinite(cents)) {
      add('money_threshold', 'approve', 'the amount of this money action is unknown, so it needs approval');
    } else if (money.never_over_cents !== undefined && cents > money.never_over_cents) {
      add('money_threshold', 'never', `amount ${amount(cents)} is above the refusal limit ${amount(money.never_over_cents)}`);
    } else if (cents > money.approve_over_cents) {
      add('money_threshold', 'approve', `amount ${amount(cents)} is above the approval threshold ${amount(money.approve_over_cents)}`);
    }
  }

  const min = policy.min_confidence;
  const confidence = proposal.confidence;
  if (min !== undefined && confidence !== undefined && !(confidence >= min)) {
    add('low_confidence', 'approve', `confidence ${confidence} is below the minimum ${min}`);
  }
  if (proposal.unsupportedClaims && proposal.unsupportedClaims.length > 0) {
    add('ungrounded', 'approve', `not supported by the business's knowledge: ${proposal.unsupportedClaims.slice(0, 3).join('; ')}`);
  }
  if (proposal.foreignLinks && proposal.foreignLinks.length > 0) {
    add('foreign_link', 'approve', `contains a link that is not the business's own: ${proposal.foreignLinks.slice(0, 3).join(', ')}`);
  }
  if (proposal.foreignNumbers && proposal.foreignNumbers.length > 0) {
    add('foreign_number', 'approve', `contains a phone number that is not the business's own: ${proposal.foreignNumbers.slice(0, 3).join(', ')}`);
  }

  if (isSend && proposal.recipientChosenByProposer && facts.inConversation !== true) {
    add('outside_conversation', 'approve', `${who} was chosen by the proposer and has no conversation with the business`);
  }

  const outcome = strictest(reasons);
  let notBefore: Date | null = null;
  const quiet = policy.quiet_hours;
  if (outcome !== 'never' && quiet && isCovered(proposal, quiet.kinds)) {
    notBefore = quietHoursRelease(facts.now, facts.timeZone, quiet.start, quiet.end);
    if (notBefore) {
      reasons.push({
        rule: 'quiet_hours',
        decision: 'hold',
        detail: `quiet hours ${quiet.start}–${quiet.end} (${facts.timeZone}); held until ${quiet.end} local time (${notBefore.toISOString()})`,
      });
    }
  }
  return { outcome, notBefore, reasons };
}

/** The strictest decision among the reasons; `auto` when there are none. */
function strictest(reasons: readonly PolicyReason[]): Decision {
  let out: Decision = 'auto';
  for (const r of reasons) {
    if (r.decision !== 'hold' && RANK[r.decision] > RANK[out]) out = r.decision;
  }
  return out;
}

/** Whether quiet hours apply to this proposal. `read` and `write` are never held. */
function isCovered(proposal: ActionProposal, kinds: readonly string[] | undefined): boolean {
  if (proposal.effect === 'read' || proposal.effect === 'write') return false;
  return kinds ? kinds.includes(proposal.kind) : proposal.effect === 'send';
}
