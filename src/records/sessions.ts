import type { Db } from '../store/db.js';
import { hashSecret, newSecret } from '../core/ids.js';
import { ROLE_SCOPES, type Scope, type UserRole } from './scopes.js';

/** How long a dashboard login lasts at most (ms): 14 days. */
export const SESSION_MAX_AGE_MS = 14 * 24 * 3600_000;
/** A login unused this long ends (ms): 3 days. */
export const SESSION_IDLE_MS = 3 * 24 * 3600_000;

/** A live session as the HTTP layer sees it. */
export interface SessionView {
  principalId: string;
  name: string;
  email: string | null;
  /** The business it acts on now, and the user's role there. */
  tenantId: string;
  role: UserRole;
  scopes: Scope[];
  csrf: string;
  /** Short id for logs and the audit (`ses_<first 12 hex of the hash>`), never the secret. */
  ref: string;
}

/** The businesses a user belongs to (with their role), in membership order. */
export async function userBusinesses(db: Db, principalId: string): Promise<Array<{ tenantId: string; slug: string; name: string; role: UserRole }>> {
  const rows = await db
    .selectFrom('memberships').innerJoin('tenants', 'tenants.id', 'memberships.tenant_id')
    .select(['tenants.id as tenantId', 'tenants.slug', 'tenants.name', 'memberships.role'])
    .where('memberships.principal_id', '=', principalId).where('memberships.role', 'is not', null)
    .orderBy('memberships.created_at').orderBy('tenants.slug').execute();
  return rows.map((r) => ({ tenantId: r.tenantId, slug: r.slug, name: r.name, role: r.role! }));
}

/**
 * Opens a session for a user in `tenantId` (one of their businesses). Returns the cookie secret
 * (shown to the browser once; only its hash is stored) and the CSRF token.
 */
export async function createSession(db: Db, a: { principalId: string; tenantId: string; now: Date }): Promise<{ secret: string; csrf: string; expiresAt: Date }> {
  const secret = newSecret();
  const csrf = newSecret(24);
  const expiresAt = new Date(a.now.getTime() + SESSION_MAX_AGE_MS);
  await db.insertInto('sessions').values({ id_hash: hashSecret(secret), principal_id: a.principalId, tenant_id: a.tenantId, csrf, created_at: a.now, last_seen_at: a.now, expires_at: expiresAt }).execute();
  return { secret, csrf, expiresAt };
}

/**
 * The live session of a cookie secret, or null (unknown, revoked, expired, idle too long, or the
 * user is no longer a member of the session's business). Looked up on every request, so a logout,
 * a password change or a removed membership applies to the very next request.
 */
export async function findSession(db: Db, secret: string, now: Date): Promise<SessionView | null> {
  const idHash = hashSecret(secret);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('principals', 'principals.id', 'sessions.principal_id')
    .innerJoin('memberships', (j) => j.onRef('memberships.principal_id', '=', 'sessions.principal_id').onRef('memberships.tenant_id', '=', 'sessions.tenant_id'))
    .select(['sessions.principal_id', 'sessions.tenant_id', 'sessions.csrf', 'sessions.expires_at', 'sessions.last_seen_at', 'sessions.revoked_at', 'principals.name', 'principals.email', 'memberships.role'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row || row.revoked_at || !row.role || row.expires_at <= now || now.getTime() - row.last_seen_at.getTime() > SESSION_IDLE_MS) return null;
  // Touch at most once a minute: a busy dashboard should not write on every request.
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  return { principalId: row.principal_id, name: row.name, email: row.email, tenantId: row.tenant_id, role: row.role, scopes: [...ROLE_SCOPES[row.role]], csrf: row.csrf, ref: `ses_${idHash.slice(0, 12)}` };
}

/** Moves a session to another of the user's businesses; false when they are not a member there. */
export async function switchSessionTenant(db: Db, secret: string, tenantId: string): Promise<boolean> {
  const idHash = hashSecret(secret);
  const s = await db.selectFrom('sessions').select('principal_id').where('id_hash', '=', idHash).executeTakeFirst();
  if (!s) return false;
  const m = await db.selectFrom('memberships').select('role').where('principal_id', '=', s.principal_id).where('tenant_id', '=', tenantId).where('role', 'is not', null).executeTakeFirst();
  if (!m) return false;
  await db.updateTable('sessions').set({ tenant_id: tenantId }).where('id_hash', '=', idHash).execute();
  return true;
}

/** Ends a session (logout). */
export async function revokeSession(db: Db, secret: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id_hash', '=', hashSecret(secret)).where('revoked_at', 'is', null).execute();
}
