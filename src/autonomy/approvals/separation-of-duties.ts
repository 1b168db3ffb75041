import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { ForbiddenError } from '../../core/forbidden-error.js';

/** Key in a proposal signal's `data` holding the proposer's principal id. */
export const PROPOSED_BY_PRINCIPAL = 'proposedByPrincipal';

/**
 * Separation of duties: whoever proposed an action never decides it. The proposer is the principal
 * recorded on the signal that started the approval's run (approvals.run_id → runs.trigger_ref →
 * signals.data.proposedByPrincipal), so a second token of the same principal is refused too.
 * Proposals made by AIOS's own playbooks (no proposer) may be decided by anyone allowed to decide.
 * Throws ForbiddenError; an unknown approval passes (the decision itself reports not found).
 */
export async function assertNotProposer(db: Db, tenantId: string, approval: { id?: string; tokenHash?: string }, deciderPrincipalId: string): Promise<void> {
  let q = db
    .selectFrom('approvals')
    .innerJoin('runs', 'runs.id', 'approvals.run_id')
    .innerJoin('signals', (j) => j.onRef('signals.id', '=', 'runs.trigger_ref').on('runs.trigger_type', '=', 'signal'))
    .select(sql<string | null>`signals.data->>${PROPOSED_BY_PRINCIPAL}`.as('proposer'))
    .where('approvals.tenant_id', '=', tenantId);
  q = approval.id ? q.where('approvals.id', '=', approval.id) : q.where('approvals.token_hash', '=', approval.tokenHash ?? '');
  const row = await q.executeTakeFirst();
  if (row?.proposer && row.proposer === deciderPrincipalId) {
    throw new ForbiddenError(
      'separation of duties: you proposed this action, so you cannot decide it',
      'Another person with the decide scope (for example the owner, with `aios approvals approve <id>`) must decide it.',
    );
  }
}
