import type { MiddlewareHandler } from 'hono';
import type { Db } from '../../store/db.js';
import type { Clock } from '../../core/clock.js';
import { authenticateToken } from '../../records/api-tokens.js';
import { actorName, type Scope } from '../../records/scopes.js';
import type { Vars } from './services.js';
import { checkSession, sessionSecret } from './session-auth.js';


/**
 * Requests carrying this header (set by AIOS's own MCP servers, `/mcp` and `aios mcp`) act with at
 * most `read` + `propose`, whatever the token: MCP never decides or administers. A client that
 * sets it only lowers its own rights.
 */
export const MCP_CHANNEL_HEADER = 'x-aios-channel';
const MCP_SCOPES: readonly Scope[] = ['read', 'propose'];

/**
 * Authentication of `/api/v1`: a bearer token, or else the dashboard's session cookie
 * (`session-auth.ts`: live session, same origin and the CSRF header on every change; refused with
 * 403). A session acts with its user's role scopes in the session's current business.
 *
 * Bearer-token authentication. Missing, unknown, revoked or expired tokens → 401 with a JSON error.
 * Every request looks the token up (no cache), so a revocation applies to the very next request.
 * Sets `tenantId`, `actor` (`<kind>:<principal id>`) and `principal` {id, kind, role, scopes}.
 */
export function bearerAuth(db: Db, clock: Clock): MiddlewareHandler<{ Variables: Vars }> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const secret = header ? undefined : sessionSecret(c);
    if (secret) {
      const r = await checkSession(c, db, clock, secret);
      if ('refusal' in r) return c.json(r.refusal, 403);
      const s = r.session;
      c.set('tenantId', s.tenantId);
      c.set('actor', actorName({ kind: 'user', id: s.principalId }));
      c.set('principal', { id: s.principalId, kind: 'user', name: s.name, role: s.role, scopes: s.scopes, tokenId: s.ref });
      return next();
    }
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
