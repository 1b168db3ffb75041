import type { RunContext } from '../engine/run-context.js';
import { evaluatePolicy, type PolicyReason } from '../policy/evaluate-policy.js';
import { quietHoursRelease } from '../policy/quiet-hours.js';
import { recipientFacts } from './policy-facts.js';
import { enqueueOutboxRow, deliverOutbox, type DeliveryResult } from '../../connection/outbox/outbox.js';
import { awaitOwnerDecision } from './owner-decision.js';
import { recordLedgerEntry } from '../../records/ledger-entries.js';
import { checkGroundedness } from '../../knowledge/groundedness.js';
import { audit } from '../../records/audit.js';
import { inspectOutbound } from '../../core/outbound-guard.js';
import { outboundAllowList } from './outbound-allowed.js';
import { auditEditedBody } from '../approvals/edit-findings.js';
import { plainSmsBody } from './plain-characters.js';
import { ALWAYS_APPROVE_REASON } from './propose-email.js';
import type { UntrustedText } from '../../ai/prompt.js';

/** An SMS a playbook wants to send. The recipient is fixed by the playbook, never by model output. */
export interface SmsProposal {
  kind: 'sms.send';
  to: string;
  /** The text, or a drafting function run inside the `decide` step (its result is checkpointed). */
  body: string | (() => Promise<string | DraftedText>);
  /** 0..1 confidence of the drafter; below the policy's `min_confidence` the owner approves. */
  confidence?: number;
  /** When set, a sent message writes this ledger entry in the same step (response time from `since`). */
  ledger?: { category: string; minutesSaved: number; since: string; note?: string };
  /** What happened, for the owner's notice when approval is needed, e.g. "missed call 2:05 p.m.". */
  context?: string;
  /** The owner wrote this text (a reply to a customer): no groundedness check; the outbound guard and the policy still apply. */
  byOwner?: boolean;
  /** `always`: the owner approves whatever the policy says (an `auto` outcome becomes `approve`; `never` still refuses). */
  approval?: 'always';
  /** The figures in the text come from a record (e.g. an invoice's amount and due date), not from a drafter: no groundedness check against knowledge; the guard and the policy still apply. */
  factsFromRecord?: boolean;
  /** Run before the outbox row is written (in `<id>.send`, or in `<id>.decide` when that step sends): a reason string cancels the send (outcome `cancelled`, empty outboxId). Must be idempotent. */
  precheck?: () => Promise<string | null>;
  /** Outside text this proposal rests on (the customer's message, text an outside caller wrote): marked as such on the approval. */
  untrusted?: readonly UntrustedText[];
  /** The recipient came from the proposer (MCP/API caller), not from the run's trigger: approval unless already in a conversation. */
  recipientChosenByProposer?: boolean;
}

/** A drafted text with the drafter's confidence (0..1) and who drafted it. */
export interface DraftedText {
  text: string;
  confidence?: number;
  drafter?: string;
  /** True when AIOS drafted it (template, model): typographic characters become plain unless the owner said no. */
  byAios?: boolean;
}

/** How a proposal ended. */
export type ProposalOutcome =
  | { status: 'sent'; outboxId: string; body: string; sentAt: string; approvedBy: string | null }
  | { status: 'refused'; reasons: PolicyReason[] }
  | { status: 'rejected'; reason: string | null; decidedBy: string }
  | { status: 'expired' }
  | { status: 'cancelled' | 'failed'; outboxId: string; error: string | null };

interface DecideStepResult {
  body: string;
  drafter: string;
  outcome: 'auto' | 'approve' | 'never';
  reasons: PolicyReason[];
  /** For `auto`: when quiet hours end (ISO 8601), or null to send now. */
  holdUntil: string | null;
  /**
   * An `auto` text with nothing to wait for is delivered inside `decide` (one checkpoint instead
   * of two): the delivery's result. Absent when it was not attempted there, or its attempt threw
   * (then `<id>.send` takes over with its retries; the outbox row keeps it at most once).
   */
  sent?: DeliveryResult & { body: string };
}

/**
 * Takes a proposed external action through the policy gate, the owner's approval when required,
 * quiet hours, and the outbox. Each stage is a step of the run, so a crash at any point resumes
 * without repeating an effect. The final text of every proposal goes through the outbound guard
 * (`inspectOutbound`) in `decide`. Steps: `<id>.decide` (draft + guard + policy + quiet hours), then for approvals
 * `<id>.request-approval`, `<id>.notify-owner`, the wait, `<id>.expire` or `<id>.quiet-hours`;
 * finally `<id>.send` (outbox row keyed `runId:id`, delivery, and the ledger entry).
 *
 * An `auto` text with no quiet hours to wait for is sent inside `<id>.decide` (the same outbox row,
 * delivery and ledger entry): one checkpoint fewer on the path most texts take. A crash after that
 * delivery began replays `decide`, which finds its own outbox row (in the policy-facts statement)
 * and finishes that delivery instead of deciding again, so the text is neither re-decided nor sent
 * twice. When that delivery throws (a provider outage), `<id>.send` retries it as before.
 */
export async function proposeSms(ctx: RunContext, id: string, p: SmsProposal): Promise<ProposalOutcome> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const key = `${ctx.runId}:${id}`;
  const policy = ctx.deps.policy(tenant.id);
  const quietRelease = (now: Date): string | null => {
    const q = policy.quiet_hours;
    if (!q || (q.kinds && !q.kinds.includes(p.kind))) return null;
    return quietHoursRelease(now, tenant.timeZone, q.start, q.end)?.toISOString() ?? null;
  };

  /** Precheck, outbox row (keyed `runId:id`: a second call finds the first's row), delivery, ledger. */
  const sendOnce = async (text: string): Promise<DeliveryResult & { body: string }> => {
    const stop = p.precheck ? await p.precheck() : null;
    if (stop) return { status: 'cancelled', outboxId: '', error: stop, providerRef: null, sentAt: null, body: text };
    const row = await enqueueOutboxRow(db, { tenantId: tenant.id, runId: ctx.runId, stepId: id, idempotencyKey: key, kind: p.kind, channel: 'sms', recipient: p.to, payload: { from: tenant.phone, body: text }, createdAt: clock.now() });
    const delivered = await deliverOutbox(db, ctx.deps.channels, row, () => clock.now());
    if (delivered.status === 'sent' && p.ledger) {
      await recordLedgerEntry(db, {
        tenantId: tenant.id, runId: ctx.runId, outboxId: row.id, category: p.ledger.category, minutesSaved: p.ledger.minutesSaved,
        responseMs: new Date(delivered.sentAt!).getTime() - new Date(p.ledger.since).getTime(), note: p.ledger.note,
      });
    }
    // What the row holds is what was (or will be) sent, whatever this call was given.
    return { ...delivered, body: (row.payload as { body: string }).body };
  };

  const decision = await ctx.step<DecideStepResult>(`${id}.decide`, async () => {
    const raw = typeof p.body === 'string' ? p.body : await p.body();
    const drafted: DraftedText = typeof raw === 'string' ? { text: raw } : raw;
    const now = clock.now();
    const facts = await recipientFacts(db, tenant.id, p.to, now, tenant.timeZone, key);
    if (facts.ownOutboxStatus !== null) {
      // An earlier execution of this step decided `auto` and began the delivery, then the process
      // died: finish that delivery (the outbox reconciles a `sending` row with the provider).
      const sent = await sendOnce(drafted.text);
      return { body: sent.body, drafter: drafted.drafter ?? 'playbook', outcome: 'auto', reasons: [], holdUntil: null, sent };
    }
    // Prices and promises in the text must be backed by the business's own knowledge (the owner's own words are that word).
    const unsupportedClaims = p.byOwner || p.factsFromRecord ? [] : (await checkGroundedness(db, tenant.id, drafted.text, { now })).unsupported.map((u) => `${u.claim} (${u.reason})`);
    // The outbound guard, on the final text whoever wrote it: foreign links/numbers force approval.
    const { foreignLinks, foreignNumbers } = inspectOutbound(drafted.text, outboundAllowList(tenant, ctx.deps.publicUrl()));
    const d = evaluatePolicy(policy, { kind: p.kind, effect: 'send', recipient: p.to, confidence: drafted.confidence ?? p.confidence, unsupportedClaims, foreignLinks, foreignNumbers, recipientChosenByProposer: p.recipientChosenByProposer }, facts);
    const reasons = d.reasons.filter((r) => r.decision !== 'hold');
    const outcome = p.approval === 'always' && d.outcome === 'auto' ? 'approve' : d.outcome;
    if (outcome !== d.outcome) reasons.push(ALWAYS_APPROVE_REASON);
    await audit(db, tenant.id, 'policy', `policy.${outcome}`, ctx.runId, { step: id, kind: p.kind, to: p.to, reasons });
    // The owner's allowance for plain characters (fewer, cheaper segments), after the guard saw the original.
    const body = plainSmsBody(tenant, drafted.text, drafted.byAios === true);
    const decided: DecideStepResult = { body, drafter: drafted.drafter ?? 'playbook', outcome, reasons, holdUntil: outcome === 'auto' ? quietRelease(now) : null };
    if (outcome !== 'auto' || decided.holdUntil !== null) return decided;
    try {
      return { ...decided, sent: await sendOnce(body) };
    } catch {
      // Transient (or a configuration error): `<id>.send` tries again with backoff, and reports a lasting one.
      return decided;
    }
  });
  if (decision.sent) {
    const res = decision.sent;
    if (res.status === 'sent') return { status: 'sent', outboxId: res.outboxId, body: res.body, sentAt: res.sentAt!, approvedBy: null };
    return { status: res.status, outboxId: res.outboxId, error: res.error };
  }
  if (decision.outcome === 'never') return { status: 'refused', reasons: decision.reasons };

  let body = decision.body;
  let approvedBy: string | null = null;
  let holdUntil = decision.holdUntil;
  if (decision.outcome === 'approve') {
    const d = await awaitOwnerDecision(ctx, id, {
      kind: p.kind, recipient: p.to, proposal: { kind: p.kind, to: p.to, body: decision.body }, reasons: decision.reasons,
      notice: { label: 'Proposed text', text: decision.body, context: p.context ?? null, editable: true }, untrusted: p.untrusted,
    });
    if (d.status === 'expired') return { status: 'expired' };
    if (d.status === 'rejected') return { status: 'rejected', reason: d.reason, decidedBy: d.decidedBy };
    const edited = d.edits?.body;
    if (edited) body = plainSmsBody(tenant, edited, false);
    approvedBy = d.decidedBy;
    // Quiet hours are checked again at decision time: an approval at 23:00 still waits for morning.
    // An owner's edit is the approval itself (no second round), but what the guard finds in it is audited.
    holdUntil = await ctx.step(`${id}.quiet-hours`, async () => {
      if (edited) await auditEditedBody(db, tenant.id, ctx.runId, { step: id, decidedBy: d.decidedBy, findings: inspectOutbound(edited, outboundAllowList(tenant, ctx.deps.publicUrl())) });
      return quietRelease(clock.now());
    });
  }

  if (holdUntil) await ctx.sleepUntil(`${id}.hold`, new Date(holdUntil), 'quiet hours');

  const res = await ctx.step(`${id}.send`, async () => {
    const r = await sendOnce(body);
    return { outboxId: r.outboxId, status: r.status, providerRef: r.providerRef, sentAt: r.sentAt, error: r.error };
  }, { attempts: 6, backoffSeconds: 2 });
  if (res.status === 'sent') return { status: 'sent', outboxId: res.outboxId, body, sentAt: res.sentAt!, approvedBy };
  return { status: res.status, outboxId: res.outboxId, error: res.error };
}
