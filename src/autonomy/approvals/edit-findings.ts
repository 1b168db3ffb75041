import type { Db } from '../../store/db.js';
import type { OutboundFindings } from '../../core/outbound-guard.js';
import { audit } from '../../records/audit.js';

/**
 * Records what the outbound guard found in a body the owner edited before approving. A person's
 * edit is the approval itself, so nothing is asked again; the audit entry `approval.edit_checked`
 * (actor: the person who decided, subject: the run) says whether the edited text carries links or
 * numbers other than the business's own.
 */
export async function auditEditedBody(db: Db, tenantId: string, runId: string, e: { step: string; decidedBy: string; findings: OutboundFindings }): Promise<void> {
  const { foreignLinks, foreignNumbers } = e.findings;
  const clean = foreignLinks.length === 0 && foreignNumbers.length === 0;
  await audit(db, tenantId, e.decidedBy, 'approval.edit_checked', runId, {
    step: e.step, foreignLinks, foreignNumbers,
    note: clean ? 'edited text has no foreign link or number' : 'edited text has a foreign link or number; sent as the owner approved it',
  });
}
