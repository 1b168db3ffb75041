import { Hono } from 'hono';
import { z } from 'zod';
import type { Services, Vars, RequestPrincipal } from './services.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { ForbiddenError } from '../../core/forbidden-error.js';
import { readBody } from './json-body.js';
import { requireScope } from './require-scope.js';
import { audit } from '../../records/audit.js';
import { assertGrantable, createToken, listTokens, revokeToken } from '../../records/api-tokens.js';
import { addUser, ensureMachinePrincipal, findMember, listUsers, removeUser } from '../../records/principals.js';
import { setPassword } from '../../records/passwords.js';
import { MACHINE_KINDS, ROLE_SCOPES, USER_ROLES, defaultScopes, parseScopes, type Scope } from '../../records/scopes.js';

const TokenBody = z
  .object({
    name: z.string().trim().min(1).max(80),
    principal: z.string().min(1).max(100).optional(),
    kind: z.enum(MACHINE_KINDS).optional(),
    scopes: z.union([z.string(), z.array(z.string())]).optional(),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
const TOKEN_SHAPE = '{"name", "principal"? | "kind"?: "assistant"|"integration", "scopes"?: ["read","propose"], "expiresInDays"?: 30}';
const UserBody = z.object({ name: z.string().trim().min(1).max(120), email: z.string().trim().min(3).max(254), role: z.enum(USER_ROLES) }).strict();

/** No escalation: an admin grants (or takes away) only what it holds itself. */
function mustHold(caller: RequestPrincipal, scopes: readonly Scope[], what: string): void {
  const missing = scopes.filter((s) => !caller.scopes.includes(s));
  if (missing.length) throw new ForbiddenError(`you cannot ${what}: this token lacks the ${missing.join(', ')} scope${missing.length > 1 ? 's' : ''}`, 'Ask an owner to do it (`aios …` on the AIOS machine acts as the owner).');
}

/**
 * Tokens and users (all `admin`): `POST/GET /tokens`, `DELETE /tokens/:id` and
 * `POST /tokens/:id/revoke`, `GET/POST /users`, `DELETE /users/:id`. Every change is audited with
 * the principal who made it.
 */
export function accessRoutes(s: Services): Hono<{ Variables: Vars }> {
  const app = new Hono<{ Variables: Vars }>();
  const { db } = s;
  const admin = requireScope('admin');

  app.post('/tokens', admin, async (c) => {
    const b = await readBody(c.req, TokenBody, TOKEN_SHAPE);
    const tenantId = c.get('tenantId');
    const caller = c.get('principal');
    if (b.principal && b.kind) throw new InputError('give either "principal" (an existing one) or "kind" (a new machine principal), not both', { fix: 'Drop "kind" to add a token to an existing principal, or drop "principal" to create a new machine principal.' });
    const existing = b.principal ? await findMember(db, tenantId, b.principal) : undefined;
    if (b.principal && !existing) throw new NotFoundError('principal', b.principal);
    const kind = existing?.kind ?? b.kind ?? 'assistant';
    const role = existing?.role ?? null;
    const scopes = b.scopes !== undefined ? parseScopes(b.scopes) : defaultScopes(kind, role).filter((x) => caller.scopes.includes(x));
    assertGrantable(kind, role, scopes);
    mustHold(caller, scopes, `grant ${scopes.join(', ')}`);
    const principal = existing ?? (await ensureMachinePrincipal(db, tenantId, kind as (typeof MACHINE_KINDS)[number], b.name));
    const expiresAt = b.expiresInDays ? new Date(s.clock.now().getTime() + b.expiresInDays * 86_400_000) : null;
    const tok = await createToken(db, { tenantId, principalId: principal.id, name: b.name, scopes, expiresAt });
    await audit(db, tenantId, c.get('actor'), 'token.created', tok.id, { name: b.name, principal: principal.id, kind: principal.kind, scopes, expiresAt: expiresAt?.toISOString() ?? null });
    return c.json({
      id: tok.id, token: tok.token, name: b.name, principal: { id: principal.id, kind: principal.kind, name: principal.name, role: principal.role },
      scopes, expiresAt, note: 'shown once; store it now',
    }, 201);
  });

  app.get('/tokens', admin, async (c) => c.json({ tokens: await listTokens(db, c.get('tenantId'), s.clock.now()) }));

  const revoke = async (c: import('hono').Context<{ Variables: Vars }>) => {
    const tenantId = c.get('tenantId');
    const r = await revokeToken(db, tenantId, c.req.param('id')!, s.clock.now());
    if (!r.alreadyRevoked) await audit(db, tenantId, c.get('actor'), 'token.revoked', r.token.id, { name: r.token.name, principal: r.token.principal.id });
    return c.json(r);
  };
  app.delete('/tokens/:id', admin, revoke);
  app.post('/tokens/:id/revoke', admin, revoke);

  app.get('/users', admin, async (c) => c.json({ users: await listUsers(db, c.get('tenantId')) }));

  app.post('/users', admin, async (c) => {
    const b = await readBody(c.req, UserBody, '{"name", "email", "role": "owner"|"staff"|"implementer"}');
    mustHold(c.get('principal'), ROLE_SCOPES[b.role], `add a user with the ${b.role} role`);
    const tenantId = c.get('tenantId');
    const user = await addUser(db, { tenantId, ...b });
    await audit(db, tenantId, c.get('actor'), 'user.added', user.id, { name: user.name, email: user.email, role: user.role });
    return c.json({ user }, 201);
  });

  // A dashboard password. A person sets their own; an owner sets one for a user of this business
  // who belongs to no other business (an implementer's login spans businesses: they set their own).
  app.put('/users/:id/password', admin, async (c) => {
    const tenantId = c.get('tenantId');
    const caller = c.get('principal');
    const b = await readBody(c.req, z.object({ password: z.string().max(1024) }).strict(), '{"password": "at least 10 characters"}');
    const target = await findMember(db, tenantId, c.req.param('id'));
    if (!target || target.kind !== 'user') throw new NotFoundError('user', c.req.param('id'));
    if (target.id !== caller.id) {
      if (caller.role !== 'owner') throw new ForbiddenError('only an owner sets another person\'s password', 'Ask the owner, or let the person set their own.');
      const elsewhere = await db.selectFrom('memberships').select('tenant_id').where('principal_id', '=', target.id).where('tenant_id', '!=', tenantId).executeTakeFirst();
      if (elsewhere) throw new ForbiddenError(`${target.name} also works for other businesses, so their password is theirs to set`, 'Ask them to set it with `aios user password` on their own login.');
    }
    if (!target.email) throw new InputError(`${target.name} has no email to log in with`, { fix: 'Remove and add the user again with --email.' });
    await setPassword(db, target.id, b.password, s.clock.now());
    await audit(db, tenantId, c.get('actor'), 'user.password_set', target.id, { name: target.name });
    return c.json({ user: { id: target.id, name: target.name, email: target.email }, loggedOut: 'every session of this user' });
  });

  app.delete('/users/:id', admin, async (c) => {
    const tenantId = c.get('tenantId');
    const target = await findMember(db, tenantId, c.req.param('id'));
    if (!target || target.kind !== 'user') throw new NotFoundError('user', c.req.param('id'));
    mustHold(c.get('principal'), ROLE_SCOPES[target.role ?? 'owner'], `remove a user with the ${target.role} role`);
    const r = await removeUser(db, tenantId, target.id, s.clock.now());
    await audit(db, tenantId, c.get('actor'), 'user.removed', target.id, { name: target.name, email: target.email, role: target.role, revokedTokens: r.revokedTokens });
    return c.json(r);
  });
  return app;
}
