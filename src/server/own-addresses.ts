import type { Db } from '../store/db.js';
import type { TenantInfo } from '../records/tenants.js';
import type { SecretBox } from '../connection/framework/secret-box.js';
import { readCredentials } from '../connection/framework/connections.js';
import { watcherSettings } from '../awareness/watcher.js';

const ADDRESS = /[^\s<>"@]+@[^\s<>"@]+\.[^\s<>"@]+/g;

/**
 * The business's own mail addresses and `@domains`: `watchers.own_addresses`, the domain of
 * `profile.website`, and the login and From addresses of the tenant's mail (`imap`) connections.
 * Credentials that cannot be opened are skipped (the connection's own status reports that).
 */
export async function ownAddressesOf(db: Db, box: SecretBox | null, tenant: TenantInfo): Promise<string[]> {
  const out = [...watcherSettings(tenant).own_addresses];
  if (tenant.profile.website) {
    try {
      out.push(`@${new URL(tenant.profile.website).hostname.replace(/^www\./, '')}`);
    } catch {
      /* validated at load; nothing to add */
    }
  }
  if (!box) return out;
  const rows = await db.selectFrom('connections').select(['id', 'tenant_id', 'credentials_encrypted']).where('tenant_id', '=', tenant.id).where('kind', '=', 'imap').execute();
  for (const row of rows) {
    try {
      const c = readCredentials<{ user?: string; smtp?: { user?: string; from?: string } }>(box, row);
      for (const v of [c?.user, c?.smtp?.user, c?.smtp?.from]) for (const m of (v ?? '').match(ADDRESS) ?? []) out.push(m.toLowerCase());
    } catch {
      /* unreadable credentials: the connection reports its own error */
    }
  }
  return out;
}
