import type { RunContext } from '../engine/run-context.js';
import { evaluatePolicy, type PolicyReason } from '../policy/evaluate-policy.js';
import { enqueueOutboxRow, deliverOutbox } from '../../connection/outbox/outbox.js';
import { audit } from '../../records/audit.js';
import { awaitOwnerDecision } from './owner-decision.js';
import { inspectOutbound } from '../../core/outbound-guard.js';
import { outboundAllowList } from './outbound-allowed.js';
import type { UntrustedText } from '../../ai/prompt.js';

/** Every string in a JSON-like value (object values and array items at any depth), in order. */
function stringsOf(v: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof v === 'string') out.push(v);
  else if (depth < 20 && Array.isArray(v)) for (const x of v) stringsOf(x, out, depth + 1);
  else if (depth < 20 && v && typeof v === 'object') for (const x of Object.values(v)) stringsOf(x, out, depth + 1);
  return out;
}

/** A call of a tool on a registered MCP server. */
export interface ToolCallProposal {
  connectionId: string;
  /** The connection's name, used in the action kind `mcp.<server>.<tool>`. */
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** One line for the owner, e.g. "create a note on Priya's deal". */
  summary: string;
  /** What happened, for the owner's notice, e.g. "proposed by token:zapier". */
  context?: string;
  /** Outside text the call rests on (e.g. a summary and arguments written by an outside caller): marked on the approval. */
  untrusted?: readonly UntrustedText[];
}

export type ToolCallOutcome =
  | { status: 'done'; result: unknown; approvedBy: string | null }
  | { status: 'refused'; reasons: PolicyReason[] }
  | { status: 'rejected'; reason: string | null }
  | { status: 'expired' }
  | { status: 'failed' | 'cancelled'; error: string | null };

/**
 * Takes a tool call through the policy gate. The effect is the one declared for the tool on the
 * connection (read from the database here, never from the proposal), so a model cannot pass off
 * a refund as a read. Policy kind: `mcp.<server>.<tool>`; unknown kinds fall to the policy's
 * `default` (approve unless the owner says otherwise). String arguments and the summary go through the
 * outbound guard: a foreign link or number forces approval. Steps: `<id>.decide`, the owner's decision
 * when required, `<id>.call` (outbox row on channel `mcp`, then the call).
 */
export async function proposeToolCall(ctx: RunContext, id: string, p: ToolCallProposal): Promise<ToolCallOutcome> {
  const { db, clock } = ctx.deps;
  const tenant = ctx.tenant;
  const kind = `mcp.${p.server}.${p.tool}`;
  const decision = await ctx.step(`${id}.decide`, async () => {
    const conn = await db.selectFrom('connections').select(['id', 'tenant_id', 'credentials_encrypted', 'status']).where('tenant_id', '=', tenant.id).where('id', '=', p.connectionId).where('kind', '=', 'mcp').executeTakeFirst();
    const declared = conn ? ctx.deps.toolEffect(conn, p.tool) : null;
    if (!declared) {
      const reasons = [{ rule: 'undeclared_tool', decision: 'never' as const, detail: `${kind} is not a declared tool of this business` }];
      await audit(db, tenant.id, 'policy', 'policy.never', ctx.runId, { step: id, kind, reasons });
      return { outcome: 'never' as const, reasons, effect: null };
    }
    // The outbound guard over every string the call carries (arguments at any depth, the summary).
    const guard = inspectOutbound(stringsOf({ summary: p.summary, arguments: p.arguments }).join('\n|\n'), outboundAllowList(tenant, ctx.deps.publicUrl()));
    const d = evaluatePolicy(
      ctx.deps.policy(tenant.id),
      { kind, effect: declared, foreignLinks: guard.foreignLinks, foreignNumbers: guard.foreignNumbers },
      { now: clock.now(), timeZone: tenant.timeZone, recipientOptedOut: false, isFirstContact: false, sentToRecipientToday: 0 },
    );
    const reasons = d.reasons.filter((r) => r.decision !== 'hold');
    await audit(db, tenant.id, 'policy', `policy.${d.outcome}`, ctx.runId, { step: id, kind, effect: declared, reasons });
    return { outcome: d.outcome, reasons, effect: declared };
  });
  if (decision.outcome === 'never') return { status: 'refused', reasons: decision.reasons };
  let approvedBy: string | null = null;
  if (decision.outcome === 'approve') {
    const d = await awaitOwnerDecision(ctx, id, {
      kind, recipient: p.server, proposal: { kind, tool: p.tool, arguments: p.arguments, summary: p.summary, effect: decision.effect }, reasons: decision.reasons,
      notice: { label: `Run ${p.server}.${p.tool}`, text: p.summary, context: p.context ?? null, editable: false }, untrusted: p.untrusted,
    });
    if (d.status === 'expired') return { status: 'expired' };
    if (d.status === 'rejected') return { status: 'rejected', reason: d.reason };
    approvedBy = d.decidedBy;
  }
  const res = await ctx.step(`${id}.call`, async () => {
    const row = await enqueueOutboxRow(db, {
      tenantId: tenant.id, runId: ctx.runId, stepId: id, idempotencyKey: `${ctx.runId}:${id}`, kind, channel: 'mcp', recipient: p.server,
      payload: { from: 'aios', body: p.summary, connectionId: p.connectionId, tool: p.tool, arguments: p.arguments },
    });
    const delivered = await deliverOutbox(db, ctx.deps.channels, row, () => clock.now());
    const after = await db.selectFrom('outbox').select('provider_response').where('id', '=', row.id).executeTakeFirstOrThrow();
    return { ...delivered, result: after.provider_response };
  }, { attempts: 3, backoffSeconds: 2 });
  if (res.status === 'sent') return { status: 'done', result: res.result, approvedBy };
  return { status: res.status, error: res.error };
}
