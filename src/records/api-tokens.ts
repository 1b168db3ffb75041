import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { hashSecret, newId, newSecret } from '../core/ids.js';
import { InputError, NotFoundError } from '../core/errors.js';
import { ForbiddenError } from '../core/forbidden-error.js';
import { findMember } from './principals.js';
import { scopeCeiling, type PrincipalKind, type Scope, type UserRole } from './scopes.js';

/** API tokens look like `aios_<43 url-safe chars>`; only their SHA-256 is stored. */
export const TOKEN_PREFIX = 'aios_';

/** A token as listed: never its hash. */
export interface TokenInfo {
  id: string;
  name: string;
  principal: { id: string; kind: PrincipalKind; name: string; role: UserRole | null };
  scopes: Scope[];
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  status: 'active' | 'expired' | 'revoked';
}

/** Who a valid token acts as, for one request. */
export interface AuthenticatedToken {
  tokenId: string;
  tenantId: string;
  principal: { id: string; kind: PrincipalKind; name: string; role: UserRole | null };
  scopes: Scope[];
}

/**
 * Refuses (ForbiddenError) scopes a principal of this kind and role can never hold: an assistant
 * never gets `decide` or `admin`, a user never more than their role.
 */
export function assertGrantable(kind: PrincipalKind, role: UserRole | null, scopes: readonly Scope[]): void {
  const ceiling = scopeCeiling(kind, role);
  const over = scopes.filter((s) => !ceiling.includes(s));
  if (!over.length) return;
  const who = kind === 'user' ? `a user with the ${role ?? 'no'} role` : `an ${kind} principal`;
  const why = kind === 'assistant' && over.includes('decide') ? ' (separation of duties: assistants propose, people decide)' : '';
  throw new ForbiddenError(`${who} can never hold the ${over.join(', ')} scope${over.length > 1 ? 's' : ''}${why}`, `Give it at most: ${ceiling.join(', ') || '(nothing)'}.`);
}

/**
 * Creates a token for a member of this business and returns the raw token (shown once, never
 * stored). The scopes must fit the principal: an assistant never gets `decide` or `admin`, a user
 * never more than their role (ForbiddenError). `expiresAt` null = no expiry.
 */
export async function createToken(
  db: Db,
  a: { tenantId: string; principalId: string; name: string; scopes: Scope[]; expiresAt: Date | null },
): Promise<{ id: string; token: string }> {
  const member = await findMember(db, a.tenantId, a.principalId);
  if (!member) throw new NotFoundError('principal', a.principalId);
  assertGrantable(member.kind, member.role, a.scopes);
  if (!a.scopes.length) throw new InputError('a token needs at least one scope', { fix: 'Give scopes, e.g. read,propose (read, propose, decide, admin).' });
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  const id = newId('tok');
  await db.insertInto('api_tokens').values({ id, tenant_id: a.tenantId, principal_id: a.principalId, name: a.name, token_hash: hashSecret(token), scopes: a.scopes, expires_at: a.expiresAt }).execute();
  return { id, token };
}

function tokenQuery(db: Db) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('principals', 'principals.id', 'api_tokens.principal_id')
    .leftJoin('memberships', (j) => j.onRef('memberships.principal_id', '=', 'api_tokens.principal_id').onRef('memberships.tenant_id', '=', 'api_tokens.tenant_id'))
    .select([
      'api_tokens.id', 'api_tokens.tenant_id', 'api_tokens.name', 'api_tokens.scopes', 'api_tokens.created_at', 'api_tokens.last_used_at', 'api_tokens.expires_at', 'api_tokens.revoked_at',
      'principals.id as principal_id', 'principals.kind', 'principals.name as principal_name', 'memberships.role', 'memberships.principal_id as member',
    ]);
}

type TokenRow = Awaited<ReturnType<ReturnType<typeof tokenQuery>['executeTakeFirstOrThrow']>>;

function toInfo(r: TokenRow, now: Date): TokenInfo {
  const status = r.revoked_at || !r.member ? 'revoked' : r.expires_at && r.expires_at <= now ? 'expired' : 'active';
  return {
    id: r.id, name: r.name, principal: { id: r.principal_id, kind: r.kind, name: r.principal_name, role: r.role ?? null },
    scopes: r.scopes as Scope[], created_at: r.created_at, last_used_at: r.last_used_at, expires_at: r.expires_at, revoked_at: r.revoked_at, status,
  };
}

/** Every token of this business, newest first, with its principal and status (never the hash). */
export async function listTokens(db: Db, tenantId: string, now: Date): Promise<TokenInfo[]> {
  const rows = await tokenQuery(db).where('api_tokens.tenant_id', '=', tenantId).orderBy('api_tokens.created_at', 'desc').orderBy('api_tokens.id', 'desc').execute();
  return rows.map((r) => toInfo(r, now));
}

/** Revokes a token of this business (at once, everywhere). Revoking twice keeps the first time. */
export async function revokeToken(db: Db, tenantId: string, tokenId: string, now: Date): Promise<{ token: TokenInfo; alreadyRevoked: boolean }> {
  const updated = await db.updateTable('api_tokens').set({ revoked_at: now }).where('tenant_id', '=', tenantId).where('id', '=', tokenId).where('revoked_at', 'is', null).executeTakeFirst();
  const row = await tokenQuery(db).where('api_tokens.tenant_id', '=', tenantId).where('api_tokens.id', '=', tokenId).executeTakeFirst();
  if (!row) throw new NotFoundError('token', tokenId);
  return { token: toInfo(row, now), alreadyRevoked: Number(updated.numUpdatedRows) === 0 };
}

/**
 * Looks a raw token up on every call (no cache: a revocation or removal applies to the next
 * request). Returns null for an unknown, revoked or expired token, or one whose principal is no
 * longer a member of the business. Marks `last_used_at` (at most once a minute, not awaited).
 */
export async function authenticateToken(db: Db, raw: string, now: Date): Promise<AuthenticatedToken | null> {
  const hash = hashSecret(raw);
  const r = await tokenQuery(db).where('api_tokens.token_hash', '=', hash).executeTakeFirst();
  if (!r || r.revoked_at || !r.member || (r.expires_at && r.expires_at <= now)) return null;
  void db
    .updateTable('api_tokens')
    .set({ last_used_at: sql`now()` })
    .where('id', '=', r.id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`)]))
    .execute()
    .catch(() => undefined);
  return { tokenId: r.id, tenantId: r.tenant_id, principal: { id: r.principal_id, kind: r.kind, name: r.principal_name, role: r.role ?? null }, scopes: r.scopes as Scope[] };
}
