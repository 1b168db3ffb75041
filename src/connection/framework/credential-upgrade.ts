import type { Db } from '../../store/db.js';
import type { SecretBox } from './secret-box.js';
import { credentialsBinding } from './connections.js';
import './tables.js';

/** The logging this module needs (a pino logger fits). */
interface UpgradeLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/**
 * Re-seals connection credentials still in the older `aios-sb1` format (constant associated data)
 * as `aios-sb2`, bound to their business and connection. Run at start, before anything reads
 * credentials. Each row is rewritten only if it still holds the value that was read (a concurrent
 * worker's or owner's update wins). A row that does not open (another key, damaged) is left as it
 * is and logged; reading it later fails with a clear error. Returns the number of rows rewritten.
 */
export async function upgradeLegacyCredentials(db: Db, box: SecretBox, log: UpgradeLog): Promise<number> {
  const rows = await db.selectFrom('connections').select(['id', 'tenant_id', 'credentials_encrypted']).where('credentials_encrypted', 'like', 'aios-sb1.%').execute();
  let rewritten = 0;
  for (const row of rows) {
    const old = row.credentials_encrypted!;
    let plaintext: string;
    try {
      plaintext = box.openLegacy(old);
    } catch (err) {
      log.warn({ connection: row.id, err: err instanceof Error ? err.message : String(err) }, 'older-format credentials could not be opened to re-encrypt them; enter them again');
      continue;
    }
    const r = await db
      .updateTable('connections')
      .set({ credentials_encrypted: box.seal(plaintext, credentialsBinding(row)) })
      .where('id', '=', row.id)
      .where('credentials_encrypted', '=', old)
      .executeTakeFirst();
    rewritten += Number(r.numUpdatedRows);
  }
  if (rewritten > 0) log.info({ rewritten }, 're-encrypted older-format credentials, bound to their connection');
  return rewritten;
}
