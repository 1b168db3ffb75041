import type { Db } from '../store/db.js';
import type { PlaybookHost } from '../autonomy/engine/playbook-host.js';
import { ACTION_PROPOSED } from '../autonomy/playbooks/proposed-sms.js';
import { newId } from '../core/ids.js';
import { InputError } from '../core/errors.js';

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Records a proposed text as an `action_proposed` signal and starts the run that takes it through
 * the policy gate. Idempotent on `idempotencyKey` (a retried proposal starts nothing new).
 */
export async function proposeSmsAction(
  db: Db,
  host: PlaybookHost,
  p: { tenantId: string; to: string; body: string; proposedBy: string; idempotencyKey?: string },
): Promise<{ signalId: string; runId: string | null; duplicate: boolean }> {
  if (!E164.test(p.to)) throw new InputError(`"to" must be an E.164 number such as +14165550100, got "${p.to}"`);
  if (!p.body.trim() || p.body.length > 1600) throw new InputError('"body" must be 1 to 1600 characters');
  const dedup = `${ACTION_PROPOSED}:${p.idempotencyKey ?? newId('prop')}`;
  const res = await db.transaction().execute(async (tx) => {
    const signal = await tx
      .insertInto('signals')
      .values({ id: newId('sig'), tenant_id: p.tenantId, kind: ACTION_PROPOSED, subject: p.to, severity: 'normal', dedup_key: dedup, data: JSON.stringify({ body: p.body, proposedBy: p.proposedBy }) })
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
