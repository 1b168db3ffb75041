import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Services, Vars, RequestPrincipal } from './services.js';
import { InputError, NotFoundError } from '../../core/errors.js';
import { ForbiddenError } from '../../core/forbidden-error.js';
import { authResponses, errorResponseDoc, jsonBody, jsonResponse, openApiApp, refuseBody, scoped } from './openapi-app.js';
import { audit } from '../../records/audit.js';
import { assertGrantable, createToken, listTokens, revokeToken } from '../../records/api-tokens.js';
import { addUser, ensureMachinePrincipal, findMember, listUsers, removeUser } from '../../records/principals.js';
import { setPassword } from '../../records/passwords.js';
import { MACHINE_KINDS, ROLE_SCOPES, defaultScopes, parseScopes, type Scope } from '../../records/scopes.js';
import { IdParam } from './schemas/common.js';
import { MemberSchema, PasswordBodySchema, TokenBodySchema, TokenCreatedSchema, TokenInfoSchema, TokenRevokedSchema, UserBodySchema } from './schemas/access.js';

const TOKEN_SHAPE = '{"name", "principal"? | "kind"?: "assistant"|"integration", "scopes"?: ["read","propose"], "expiresInDays"?: 30}';

/** No escalation: an admin grants (or takes away) only what it holds itself. */
function mustHold(caller: RequestPrincipal, scopes: readonly Scope[], what: string): void {
  const missing = scopes.filter((s) => !caller.scopes.includes(s));
  if (missing.length) throw new ForbiddenError(`you cannot ${what}: this token lacks the ${missing.join(', ')} scope${missing.length > 1 ? 's' : ''}`, 'Ask an owner to do it (`aios …` on the AIOS machine acts as the owner).');
}

const admin = { ...scoped('admin') };
const adminAnswers = authResponses('admin');

/**
 * Tokens and users (all `admin`): `POST/GET /tokens`, `DELETE /tokens/:id` and
 * `POST /tokens/:id/revoke`, `GET/POST /users`, `DELETE /users/:id`. Every change is audited with
 * the principal who made it.
 */
export function accessRoutes(s: Services): OpenAPIHono<{ Variables: Vars }> {
  const app = openApiApp(s, 'Send the JSON body the OpenAPI document at /openapi.json describes.');
  const { db } = s;

  app.openapi(createRoute({
    method: 'post', path: '/tokens', ...admin,
    summary: 'Create a token (shown once). For an existing principal, or a machine principal by kind and name (default: assistant, read + propose). Assistants never hold decide or admin; nobody grants a scope it lacks',
    request: { body: jsonBody(TokenBodySchema) },
    responses: { 201: jsonResponse(TokenCreatedSchema, 'the token, shown once'), 400: errorResponseDoc('invalid body'), 404: errorResponseDoc('no such principal in your business'), ...adminAnswers },
  }), async (c) => {
    const b = c.req.valid('json');
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
  }, refuseBody(TOKEN_SHAPE));

  app.openapi(createRoute({
    method: 'get', path: '/tokens', ...admin, summary: 'Tokens of your business: principal, scopes, status (active | expired | revoked), last use, expiry; never the secret',
    responses: { 200: jsonResponse(z.object({ tokens: z.array(TokenInfoSchema) }), 'tokens'), ...adminAnswers },
  }), async (c) => c.json({ tokens: await listTokens(db, c.get('tenantId'), s.clock.now()) }, 200));

  const revoke = async (c: Context<{ Variables: Vars }>, id: string) => {
    const tenantId = c.get('tenantId');
    const r = await revokeToken(db, tenantId, id, s.clock.now());
    if (!r.alreadyRevoked) await audit(db, tenantId, c.get('actor'), 'token.revoked', r.token.id, { name: r.token.name, principal: r.token.principal.id });
    return r;
  };
  for (const [method, path, summary] of [['delete', '/tokens/{id}', 'Revoke a token (refused from the next request on)'], ['post', '/tokens/{id}/revoke', 'Revoke a token (same as DELETE)']] as const) {
    app.openapi(createRoute({
      method, path, ...admin, summary, request: { params: IdParam },
      responses: { 200: jsonResponse(TokenRevokedSchema, 'revoked (or already revoked)'), 404: errorResponseDoc('no such token in your business'), ...adminAnswers },
    }), async (c) => c.json(await revoke(c, c.req.valid('param').id), 200));
  }

  app.openapi(createRoute({
    method: 'get', path: '/users', ...admin, summary: 'People of your business with their role',
    responses: { 200: jsonResponse(z.object({ users: z.array(MemberSchema) }), 'users'), ...adminAnswers },
  }), async (c) => c.json({ users: await listUsers(db, c.get('tenantId')) }, 200));

  app.openapi(createRoute({
    method: 'post', path: '/users', ...admin, summary: 'Add a person (owner | staff | implementer); the email identifies them across businesses',
    request: { body: jsonBody(UserBodySchema) },
    responses: { 201: jsonResponse(z.object({ user: MemberSchema }), 'added'), 400: errorResponseDoc('invalid body'), 409: errorResponseDoc('already a user here'), ...adminAnswers },
  }), async (c) => {
    const b = c.req.valid('json');
    mustHold(c.get('principal'), ROLE_SCOPES[b.role], `add a user with the ${b.role} role`);
    const tenantId = c.get('tenantId');
    const user = await addUser(db, { tenantId, ...b });
    await audit(db, tenantId, c.get('actor'), 'user.added', user.id, { name: user.name, email: user.email, role: user.role });
    return c.json({ user }, 201);
  }, refuseBody('{"name", "email", "role": "owner"|"staff"|"implementer"}'));

  // A dashboard password. A person sets their own; an owner sets one for a user of this business
  // who belongs to no other business (an implementer's login spans businesses: they set their own).
  app.openapi(createRoute({
    method: 'put', path: '/users/{id}/password', ...admin, summary: 'Set a dashboard password: your own, or (owners) that of a user who works for no other business; ends their sessions',
    request: { params: IdParam, body: jsonBody(PasswordBodySchema) },
    responses: {
      200: jsonResponse(z.object({ user: z.object({ id: z.string(), name: z.string(), email: z.string() }), loggedOut: z.string() }), 'set; their sessions ended'),
      400: errorResponseDoc('too short or too long, or no email to log in with'), 404: errorResponseDoc('no such user in your business'), ...adminAnswers,
    },
  }), async (c) => {
    const tenantId = c.get('tenantId');
    const caller = c.get('principal');
    const b = c.req.valid('json');
    const id = c.req.valid('param').id;
    const target = await findMember(db, tenantId, id);
    if (!target || target.kind !== 'user') throw new NotFoundError('user', id);
    if (target.id !== caller.id) {
      if (caller.role !== 'owner') throw new ForbiddenError('only an owner sets another person\'s password', 'Ask the owner, or let the person set their own.');
      const elsewhere = await db.selectFrom('memberships').select('tenant_id').where('principal_id', '=', target.id).where('tenant_id', '!=', tenantId).executeTakeFirst();
      if (elsewhere) throw new ForbiddenError(`${target.name} also works for other businesses, so their password is theirs to set`, 'Ask them to set it with `aios user password` on their own login.');
    }
    if (!target.email) throw new InputError(`${target.name} has no email to log in with`, { fix: 'Remove and add the user again with --email.' });
    await setPassword(db, target.id, b.password, s.clock.now());
    await audit(db, tenantId, c.get('actor'), 'user.password_set', target.id, { name: target.name });
    return c.json({ user: { id: target.id, name: target.name, email: target.email }, loggedOut: 'every session of this user' }, 200);
  }, refuseBody('{"password": "at least 10 characters"}'));

  app.openapi(createRoute({
    method: 'delete', path: '/users/{id}', ...admin, summary: 'Remove a person from your business and revoke their tokens here',
    request: { params: IdParam },
    responses: { 200: jsonResponse(z.object({ user: MemberSchema, revokedTokens: z.number().int() }), 'removed'), 404: errorResponseDoc('no such user in your business'), 409: errorResponseDoc('the last owner'), ...adminAnswers },
  }), async (c) => {
    const tenantId = c.get('tenantId');
    const id = c.req.valid('param').id;
    const target = await findMember(db, tenantId, id);
    if (!target || target.kind !== 'user') throw new NotFoundError('user', id);
    mustHold(c.get('principal'), ROLE_SCOPES[target.role ?? 'owner'], `remove a user with the ${target.role} role`);
    const r = await removeUser(db, tenantId, target.id, s.clock.now());
    await audit(db, tenantId, c.get('actor'), 'user.removed', target.id, { name: target.name, email: target.email, role: target.role, revokedTokens: r.revokedTokens });
    return c.json(r, 200);
  });
  return app;
}
