import { basename } from 'node:path';
import type { Db } from '../store/db.js';
import type { ConfigError } from '../core/errors.js';
import { newId } from '../core/ids.js';

/** Signal kind raised when an edit of a tenant's tenant.yaml or policy.yaml cannot be loaded. */
export const CONFIG_INVALID = 'config_invalid';

/**
 * Raises a `config_invalid` signal for a file that failed validation while AIOS runs, so the owner
 * learns the edit was not applied. Deduplicated on file + content hash: saving the same broken text
 * again raises nothing new (or re-opens its signal if it had been resolved); a different broken
 * text is a new signal. Never dispatched to playbooks.
 * @param contentHash SHA-256 (hex) of the file's text ('' when the file is missing).
 * @returns true when a signal was stored or re-opened.
 */
export async function raiseConfigInvalid(db: Db, tenantId: string, err: ConfigError, contentHash: string): Promise<boolean> {
  const row = await db
    .insertInto('signals')
    .values({
      id: newId('sig'),
      tenant_id: tenantId,
      kind: CONFIG_INVALID,
      subject: basename(err.file),
      severity: 'high',
      dedup_key: `${CONFIG_INVALID}:${err.file}:${contentHash}`,
      data: JSON.stringify({
        file: err.file,
        field: err.field,
        problem: err.problem,
        message: err.message,
        problems: err.problems,
        fix: `Correct ${err.problems.length > 1 ? `the ${err.problems.length} fields listed` : err.field || 'the file'} in ${err.file} and save it; AIOS keeps using the last valid version until then.`,
      }),
      dispatched_at: new Date(),
    })
    // The same broken text saved again after it was fixed: the old signal opens again.
    .onConflict((oc) => oc.columns(['tenant_id', 'dedup_key']).doUpdateSet({ status: 'open', resolved_at: null, updated_at: new Date() }).where('signals.status', '!=', 'open'))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Resolves the tenant's open `config_invalid` signals once its files load again.
 * @returns how many were resolved.
 */
export async function resolveConfigInvalid(db: Db, tenantId: string): Promise<number> {
  const now = new Date();
  const rows = await db
    .updateTable('signals')
    .set({ status: 'resolved', resolved_at: now, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('kind', '=', CONFIG_INVALID)
    .where('status', 'in', ['open', 'handling'])
    .returning('id')
    .execute();
  return rows.length;
}
