import type { MiddlewareHandler } from 'hono';
import type { Scope } from '../../records/scopes.js';
import type { Vars } from './services.js';

/** Where `requireScope` records the scope on its middleware, so tests can walk every route. */
export const DECLARED_SCOPE = Symbol.for('aios.declaredScope');

const FIX: Record<Scope, string> = {
  read: 'Use a token with the read scope (`aios token create --scopes read,…`).',
  propose: 'Use a token with the propose scope (`aios token create --scopes read,propose`).',
  decide: 'Decisions are made by a person with the decide scope (the owner or staff), e.g. `aios approvals approve <id>`; assistants only propose.',
  admin: 'Tokens, users, connections and imports are managed by an owner or implementer: use `aios token …`, `aios user …` on the AIOS machine, or a token with the admin scope.',
};

/**
 * Route guard: the request's principal must hold `scope`, else 403
 * `{"error":"forbidden","message":"this token lacks the <scope> scope","fix":…}`. Put it first on
 * every `/api/v1` route (a test walks the routes and fails on any route without one).
 */
export function requireScope(scope: Scope): MiddlewareHandler<{ Variables: Vars }> {
  const mw: MiddlewareHandler<{ Variables: Vars }> = async (c, next) => {
    const p = c.get('principal');
    if (!p || !p.scopes.includes(scope)) return c.json({ error: 'forbidden', message: `this token lacks the ${scope} scope`, fix: FIX[scope] }, 403);
    await next();
  };
  return Object.assign(mw, { [DECLARED_SCOPE]: scope });
}

/** The scope a handler declared with `requireScope`, if it is such a guard. */
export function declaredScope(handler: unknown): Scope | undefined {
  return (handler as { [DECLARED_SCOPE]?: Scope } | null)?.[DECLARED_SCOPE];
}

/** `METHOD /path` → declared scope for every route of a Hono app (middleware-only entries skipped). */
export function routeScopes(app: { routes: Array<{ method: string; path: string; handler: unknown }> }): Record<string, Scope> {
  const out: Record<string, Scope> = {};
  for (const r of app.routes) {
    const scope = declaredScope(r.handler);
    if (scope && r.method !== 'ALL') out[`${r.method} ${r.path}`] ??= scope;
  }
  return out;
}
