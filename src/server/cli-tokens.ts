import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db.js';
import { hashSecret } from '../core/ids.js';
import { createApiToken } from './http/auth.js';

/**
 * Ensures each tenant has a CLI token in `AIOS_HOME/cli-tokens/<slug>` (mode 0600), so that `aios`
 * commands run with the same AIOS_HOME can talk to the running instance. Returns slug → token;
 * the slugs whose token was created now (not read back from its file) are added to `created`.
 */
export async function ensureCliTokens(db: Db, dir: string, tenants: Array<{ id: string; slug: string }>, created: Set<string> = new Set()): Promise<Map<string, string>> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const out = new Map<string, string>();
  for (const t of tenants) {
    const path = join(dir, t.slug);
    if (existsSync(path)) {
      const token = readFileSync(path, 'utf8').trim();
      const ok = await db.selectFrom('api_tokens').select('id').where('token_hash', '=', hashSecret(token)).where('tenant_id', '=', t.id).where('revoked_at', 'is', null).executeTakeFirst();
      if (ok) {
        out.set(t.slug, token);
        continue;
      }
    }
    const { token } = await createApiToken(db, t.id, 'cli');
    writeFileSync(path, token + '\n', { mode: 0o600 });
    out.set(t.slug, token);
    created.add(t.slug);
  }
  return out;
}
