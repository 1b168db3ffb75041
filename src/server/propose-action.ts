import type { Db } from '../store/db.js';
import type { PlaybookHost } from '../autonomy/engine/playbook-host.js';
import { ACTION_PROPOSED } from '../autonomy/playbooks/proposed-sms.js';
import { TOOL_CALL_PROPOSED } from '../autonomy/playbooks/proposed-tool-call.js';
import { newId } from '../core/ids.js';
import { InputError } from '../core/errors.js';
import { countryOfPhone, FALLBACK_COUNTRY, normalisePhone } from '../core/phone.js';
import { PROPOSED_BY_PRINCIPAL } from '../autonomy/approvals/separation-of-duties.js';


/** The signal a proposal raised and the run that takes it through the policy gate. */
export interface ProposalReceipt {
  signalId: string;
  runId: string | null;
  duplicate: boolean;
}

/**
 * Records a proposal as a signal and starts the run that handles it, in one transaction.
 * Idempotent on `idempotencyKey` (a retried proposal starts nothing new).
 */
async function proposeViaSignal(db: Db, host: PlaybookHost, p: { tenantId: string; kind: string; subject: string; data: Record<string, unknown>; idempotencyKey?: string }): Promise<ProposalReceipt> {
  const dedup = `${p.kind}:${p.idempotencyKey ?? newId('prop')}`;
  const res = await db.transaction().execute(async (tx) => {
    const signal = await tx
      .insertInto('signals')
      .values({ id: newId('sig'), tenant_id: p.tenantId, kind: p.kind, subject: p.subject, severity: 'normal', dedup_key: dedup, data: JSON.stringify(p.data) })
      .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!signal) {
      const existing = await tx.selectFrom('signals').select(['id', 'run_id']).where('tenant_id', '=', p.tenantId).where('dedup_key', '=', dedup).executeTakeFirstOrThrow();
      return { signalId: existing.id, runId: existing.run_id, duplicate: true, plans: [] };
    }
    const plans = await host.planRuns(tx, signal);
    return { signalId: signal.id, runId: plans[0]?.runId ?? null, duplicate: false, plans };
  });
  await host.startPlanned(res.plans);
  return { signalId: res.signalId, runId: res.runId, duplicate: res.duplicate };
}

/**
 * The proposer's principal id, kept in the signal (`data.proposedByPrincipal`) so that
 * `decideApproval` can refuse a decision by the same principal (separation of duties).
 */
function proposer(p: { proposerPrincipalId?: string }): Record<string, string> {
  return p.proposerPrincipalId ? { [PROPOSED_BY_PRINCIPAL]: p.proposerPrincipalId } : {};
}

/** Proposes a text; the policy decides whether it is sent, waits for the owner, or is refused. */
export async function proposeSmsAction(db: Db, host: PlaybookHost, p: { tenantId: string; to: string; body: string; proposedBy: string; proposerPrincipalId?: string; idempotencyKey?: string }): Promise<ProposalReceipt> {
  // The number is read as everywhere else (tenant's country for numbers without +), so the
  // proposal is about the same contact however it was written.
  const tenant = await db.selectFrom('tenants').select('phone').where('id', '=', p.tenantId).executeTakeFirst();
  const country = countryOfPhone(tenant?.phone) ?? FALLBACK_COUNTRY;
  const to = normalisePhone(p.to, country);
  if (!to) throw new InputError(`"to": "${p.to}" is not a phone number`, { fix: `Send the number with its country code, such as +14165550100, or as a national number of ${country}.` });
  if (!p.body.trim() || p.body.length > 1600) throw new InputError('"body" must be 1 to 1600 characters', { fix: 'Send a text of 1 to 1600 characters in "body".' });
  return proposeViaSignal(db, host, { tenantId: p.tenantId, kind: ACTION_PROPOSED, subject: to, data: { body: p.body, proposedBy: p.proposedBy, ...proposer(p) }, idempotencyKey: p.idempotencyKey });
}

/**
 * Proposes a call of a tool on a registered MCP server of this business. The tool must exist on an
 * MCP connection; its declared effect and the policy decide what happens.
 */
export async function proposeToolCallAction(
  db: Db,
  host: PlaybookHost,
  p: { tenantId: string; connectionId: string; tool: string; arguments: Record<string, unknown>; summary?: string; proposedBy: string; proposerPrincipalId?: string; idempotencyKey?: string },
): Promise<ProposalReceipt> {
  const conn = await db.selectFrom('connections').select(['id', 'name']).where('tenant_id', '=', p.tenantId).where('id', '=', p.connectionId).where('kind', '=', 'mcp').executeTakeFirst();
  if (!conn) throw new InputError(`no MCP connection ${p.connectionId} in this business`, { status: 404, fix: 'List connections with `aios connections`.' });
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(p.tool)) throw new InputError('"tool" must be a tool name', { fix: 'Use the name of a tool the MCP connection lists: letters, digits, _ . - (at most 100).' });
  if (JSON.stringify(p.arguments).length > 32_000) throw new InputError('"arguments" is over 32 KB', { fix: 'Send smaller arguments: refer to large data by id or link instead of including it.' });
  const summary = (p.summary?.trim() || `${p.tool} ${JSON.stringify(p.arguments)}`).slice(0, 300);
  return proposeViaSignal(db, host, {
    tenantId: p.tenantId, kind: TOOL_CALL_PROPOSED, subject: `${conn.name}.${p.tool}`,
    data: { connectionId: conn.id, server: conn.name, tool: p.tool, arguments: p.arguments, summary, proposedBy: p.proposedBy, ...proposer(p) }, idempotencyKey: p.idempotencyKey,
  });
}
