import type { Db } from '../store/db.js';

/** Appends one line to the tenant's append-only audit log (who did what to which subject). */
export async function audit(db: Db, tenantId: string, actor: string, action: string, subject: string | null, detail: Record<string, unknown> = {}): Promise<void> {
  await db.insertInto('audit_log').values({ tenant_id: tenantId, actor, action, subject, detail: JSON.stringify(detail) }).execute();
}
