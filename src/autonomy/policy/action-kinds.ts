/**
 * The action kinds a policy may name under `actions:` and `quiet_hours.kinds`. A kind that is not
 * here is a typo or a rule that can never apply (`sms.sned: never` would let texts go), so the
 * policy loader refuses it with a "did you mean".
 *
 * Add a kind here in the same change that makes AIOS propose it (a playbook, a connector action).
 * `src/autonomy/policy/action-kinds.test.ts` checks that every connector action is listed.
 */

/** Action kinds AIOS can propose, in the order they are shown to an owner. */
export const ACTION_KINDS: string[] = [
  'sms.send', // text a customer (missed-call text-back, proposed SMS)
  'email.send', // send an email (IMAP/SMTP connection)
  'email.mark_handled', // file a mailbox message (IMAP connection)
  'email.flag',
  'email.move',
  'email.label', // put an AIOS/<Category> label on a mailbox message (inbox triage)
  'calendar.create', // create, move or cancel an event (CalDAV connection)
  'calendar.update',
  'calendar.cancel',
  'content.publish', // publish a planned post on a social platform (content engine)
  'payment.refund', // refund a payment (kept: the starter policy has always named it)
];

/**
 * Tools of connected MCP servers: `mcp.<connection>.<tool>`. Connections are added while AIOS runs,
 * so these are accepted by shape, not checked against the database.
 */
export const MCP_KIND = /^mcp\.[a-z0-9][a-z0-9_-]*\.[a-z0-9_][a-z0-9_.-]*$/;

/** Shown in errors next to the known kinds. */
export const MCP_KIND_PATTERN = 'mcp.<connection>.<tool>';

/** True when `kind` is one of {@link ACTION_KINDS} or matches {@link MCP_KIND}. */
export function isKnownActionKind(kind: string): boolean {
  return ACTION_KINDS.includes(kind) || MCP_KIND.test(kind);
}
