import type { MiddlewareHandler } from 'hono';
import type { Db } from '../../store/db.js';
import type { Clock } from '../../core/clock.js';
import { authenticateToken } from '../../records/api-tokens.js';
import { actorName, type Scope } from '../../records/scopes.js';
import type { Vars } from './services.js';


/**
 * Requests carrying this header (set by AIOS's own MCP servers, `/mcp` and `aios mcp`) act with at
 * most `read` + `propose`, whatever the token: MCP never decides or administers. A client that
 * sets it only lowers its own rights.
 */
export const MCP_CHANNEL_HEADER = 'x-aios-channel';
const MCP_SCOPES: readonly Scope[] = ['read', 'propose'];

/**
 * Bearer-token authentication. Missing, unknown, revoked or expired tokens → 401 with a JSON error.
 * Every request looks the token up (no cache), so a revocation applies to the very next request.
 * Sets `tenantId`, `actor` (`<kind>:<principal id>`) and `principal` {id, kind, role, scopes}.
 */
export function bearerAuth(db: Db, clock: Clock): MiddlewareHandler<{ Variables: Vars }> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return c.json({ error: 'unauthorized', message: 'missing bearer token', fix: 'Send Authorization: Bearer <token> (create one with `aios token create`).' }, 401);
    const hit = await authenticateToken(db, m[1]!, clock.now());
    if (!hit) return c.json({ error: 'unauthorized', message: 'unknown, revoked or expired token', fix: 'Create a token with `aios token create` (list yours with `aios token list`).' }, 401);
    const viaMcp = c.req.header(MCP_CHANNEL_HEADER) === 'mcp';
    c.set('tenantId', hit.tenantId);
    c.set('actor', actorName(hit.principal));
    c.set('principal', { ...hit.principal, tokenId: hit.tokenId, scopes: viaMcp ? hit.scopes.filter((s) => MCP_SCOPES.includes(s)) : hit.scopes });
    await next();
  };
}
