import type { MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { hashSecret, newId, newSecret } from '../../core/ids.js';
import type { Vars } from './services.js';

/** API tokens look like `aios_<43 url-safe chars>`; only their SHA-256 is stored. */
export const TOKEN_PREFIX = 'aios_';

/** Creates an API token for a tenant and returns the raw token (shown once, never stored). */
export async function createApiToken(db: Db, tenantId: string, name: string): Promise<{ id: string; token: string }> {
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  const id = newId('tok');
  await db.insertInto('api_tokens').values({ id, tenant_id: tenantId, name, token_hash: hashSecret(token) }).execute();
  return { id, token };
}

interface Cached {
  tenantId: string;
  name: string;
  at: number;
}

/**
 * Bearer-token authentication. Unknown, revoked or missing tokens → 401 with a JSON error. A hit
 * is cached for 30 s (tokens are hashed, so the cache key is the hash).
 */
export function bearerAuth(db: Db): MiddlewareHandler<{ Variables: Vars }> {
  const cache = new Map<string, Cached>();
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return c.json({ error: 'unauthorized', message: 'missing bearer token', fix: 'Send Authorization: Bearer <token> (create one with `aios token create`).' }, 401);
    const hash = hashSecret(m[1]!);
    let hit = cache.get(hash);
    if (!hit || Date.now() - hit.at > 30_000) {
      const row = await db.selectFrom('api_tokens').select(['tenant_id', 'name']).where('token_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
      if (!row) {
        cache.delete(hash);
        return c.json({ error: 'unauthorized', message: 'unknown or revoked token', fix: 'Create a token with `aios token create`.' }, 401);
      }
      hit = { tenantId: row.tenant_id, name: row.name, at: Date.now() };
      cache.set(hash, hit);
      void db.updateTable('api_tokens').set({ last_used_at: sql`now()` }).where('token_hash', '=', hash).execute().catch(() => undefined);
    }
    c.set('tenantId', hit.tenantId);
    c.set('actor', `token:${hit.name}`);
    await next();
  };
}
