import type { Db } from '../store/db.js';
import type { PlaybookHost } from '../autonomy/engine/playbook-host.js';
import { newId } from '../core/ids.js';
import { relabelTriage, type TriageRow } from '../awareness/email-triage/triage-store.js';
import { triageEmailFromPayload } from '../awareness/email-triage/features.js';
import { EMAIL_RELABELLED, type EmailRelabelledData } from '../awareness/back-office-signals.js';
import { audit } from '../records/audit.js';

/**
 * The owner's relabel of a triaged mail, in ONE transaction: the `email_triage` row (source
 * `owner`), a `triage_corrections` training example (the mail's features read from its event),
 * an `email_relabelled` signal and the `email-relabel` run that moves the mailbox label through
 * the policy and the outbox (started after the commit). The same category again changes nothing.
 */
export async function relabelEmail(db: Db, host: PlaybookHost, tenantId: string, triageId: string, category: string, actor: string): Promise<{ triage: TriageRow; changed: boolean; previous: string; runId: string | null }> {
  const res = await db.transaction().execute(async (tx) => {
    const r = await relabelTriage(tx, tenantId, triageId, category, async (eventId) => {
      const ev = await tx.selectFrom('events').select('payload').where('tenant_id', '=', tenantId).where('id', '=', eventId).executeTakeFirstOrThrow();
      return triageEmailFromPayload((typeof ev.payload === 'string' ? JSON.parse(ev.payload) : ev.payload) as Record<string, unknown>);
    }, actor);
    if (!r.changed) return { ...r, plans: [] };
    const data: EmailRelabelledData = { triageId, eventId: r.row.event_id, connectionId: r.row.connection_id, messageId: r.row.message_id, from: r.row.from_address, category: r.row.category, previous: r.previous };
    const signal = await tx.insertInto('signals').values({ id: newId('sig'), tenant_id: tenantId, kind: EMAIL_RELABELLED, subject: r.row.from_address, severity: 'low', dedup_key: `${EMAIL_RELABELLED}:${newId('rl')}`, data: JSON.stringify(data) }).returningAll().executeTakeFirstOrThrow();
    await audit(tx, tenantId, actor, 'email.relabel', triageId, { from: r.previous, to: r.row.category });
    return { ...r, plans: await host.planRuns(tx, signal) };
  });
  await host.startPlanned(res.plans);
  return { triage: res.row, changed: res.changed, previous: res.previous, runId: res.plans[0]?.runId ?? null };
}
