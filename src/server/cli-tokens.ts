import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import { hashSecret } from '../core/ids.js';
import { createToken } from '../records/api-tokens.js';
import { ensureTenantOwner } from '../records/principals.js';
import { SCOPES } from '../records/scopes.js';

/**
 * Ensures each tenant has a CLI token in `AIOS_HOME/cli-tokens/<slug>` (mode 0600), so that `aios`
 * commands run with the same AIOS_HOME act as the business's owner without ceremony. The token
 * belongs to the tenant's first owner (created from `tenant.yaml`'s `owner` when missing) and holds
 * every scope. A file token that is revoked, expired, or not such an owner token (a token from
 * before principals existed) is revoked and replaced. Returns slug → token; the slugs whose token
 * was created now (not read back from its file) are added to `created`.
 */
export async function ensureCliTokens(
  db: Db,
  dir: string,
  tenants: Array<{ id: string; slug: string; owner: { name: string } }>,
  created: Set<string> = new Set(),
  now: Date = new Date(),
): Promise<Map<string, string>> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const out = new Map<string, string>();
  for (const t of tenants) {
    const ownerId = await ensureTenantOwner(db, t.id, t.owner.name);
    const path = join(dir, t.slug);
    if (existsSync(path)) {
      const hash = hashSecret(readFileSync(path, 'utf8').trim());
      const row = await db.selectFrom('api_tokens').select(['id', 'principal_id', 'scopes', 'revoked_at', 'expires_at']).where('token_hash', '=', hash).where('tenant_id', '=', t.id).executeTakeFirst();
      const valid = row && !row.revoked_at && (!row.expires_at || row.expires_at > now);
      if (valid && row.principal_id === ownerId && SCOPES.every((s) => row.scopes.includes(s))) {
        out.set(t.slug, readFileSync(path, 'utf8').trim());
        continue;
      }
      if (row && !row.revoked_at) await db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', row.id).execute();
    }
    const { token } = await createToken(db, { tenantId: t.id, principalId: ownerId, name: 'cli', scopes: [...SCOPES], expiresAt: null });
    writeFileSync(path, token + '\n', { mode: 0o600 });
    out.set(t.slug, token);
    created.add(t.slug);
  }
  return out;
}
