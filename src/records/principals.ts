import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { newId } from '../core/ids.js';
import { ConflictError, InputError, NotFoundError } from '../core/errors.js';
import type { MachineKind, PrincipalKind, UserRole } from './scopes.js';

/** A principal as a member of one business. */
export interface Member {
  id: string;
  kind: PrincipalKind;
  name: string;
  email: string | null;
  /** The user's role in this business; null for machine principals. */
  role: UserRole | null;
  created_at: Date;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function memberQuery(db: Db, tenantId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('principals', 'principals.id', 'memberships.principal_id')
    .select(['principals.id', 'principals.kind', 'principals.name', 'principals.email', 'memberships.role', 'memberships.created_at'])
    .where('memberships.tenant_id', '=', tenantId);
}

/** The member `principalId` of this business, or undefined. */
export async function findMember(db: Db, tenantId: string, principalId: string): Promise<Member | undefined> {
  return memberQuery(db, tenantId).where('principals.id', '=', principalId).executeTakeFirst();
}

/** The users of this business (people, with their role), oldest first. */
export async function listUsers(db: Db, tenantId: string): Promise<Member[]> {
  return memberQuery(db, tenantId).where('principals.kind', '=', 'user').orderBy('memberships.created_at').orderBy('principals.id').execute();
}

/**
 * The business's first owner, created from `tenant.yaml`'s `owner` when the business has none
 * (first start, or a database from before principals existed). Returns the owner's principal id.
 */
export async function ensureTenantOwner(db: Db, tenantId: string, ownerName: string): Promise<string> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`aios:owner:${tenantId}`}))`.execute(tx);
    const first = await tx.selectFrom('memberships').select('principal_id').where('tenant_id', '=', tenantId).where('role', '=', 'owner').orderBy('created_at').orderBy('principal_id').executeTakeFirst();
    if (first) return first.principal_id;
    const id = newId('pr');
    await tx.insertInto('principals').values({ id, kind: 'user', name: ownerName }).execute();
    await tx.insertInto('memberships').values({ principal_id: id, tenant_id: tenantId, role: 'owner' }).execute();
    return id;
  });
}

/**
 * Adds a person to this business with a role. The email identifies the person across businesses:
 * an implementer already working for another business joins this one as the same principal (their
 * name is kept). A person already in this business → ConflictError.
 */
export async function addUser(db: Db, a: { tenantId: string; name: string; email: string; role: UserRole }): Promise<Member> {
  const name = a.name.trim();
  const email = a.email.trim();
  if (!name || name.length > 120) throw new InputError('name must be 1 to 120 characters', { fix: 'Give the person\'s name, at most 120 characters.' });
  if (!EMAIL.test(email) || email.length > 254) throw new InputError(`"${a.email}" is not an email address`, { fix: 'Give the person’s email, e.g. --email sam@example.com.' });
  return db.transaction().execute(async (tx) => {
    await tx.insertInto('principals').values({ id: newId('pr'), kind: 'user', name, email }).onConflict((oc) => oc.expression(sql`lower(email)`).where('email', 'is not', null).doNothing()).execute();
    const person = await tx.selectFrom('principals').select(['id', 'kind']).where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirstOrThrow();
    const joined = await tx.insertInto('memberships').values({ principal_id: person.id, tenant_id: a.tenantId, role: a.role }).onConflict((oc) => oc.columns(['principal_id', 'tenant_id']).doNothing()).returning('principal_id').executeTakeFirst();
    if (!joined) throw new ConflictError(`${email} is already a user of this business`, 'List users with `aios user list`; remove and add again to change the role.');
    return (await memberQuery(tx, a.tenantId).where('principals.id', '=', person.id).executeTakeFirstOrThrow());
  });
}

/**
 * Removes a person from this business and revokes their tokens here (their other businesses are
 * untouched). The last owner cannot be removed (ConflictError). Returns the removed member and how
 * many tokens were revoked.
 */
export async function removeUser(db: Db, tenantId: string, userId: string, now: Date): Promise<{ user: Member; revokedTokens: number }> {
  return db.transaction().execute(async (tx) => {
    const owners = await tx.selectFrom('memberships').select('principal_id').where('tenant_id', '=', tenantId).where('role', '=', 'owner').forUpdate().execute();
    const user = await memberQuery(tx, tenantId).where('principals.id', '=', userId).where('principals.kind', '=', 'user').executeTakeFirst();
    if (!user) throw new NotFoundError('user', userId);
    if (user.role === 'owner' && owners.length <= 1) throw new ConflictError(`${user.name} is the last owner of this business and cannot be removed`, 'Add another owner first (`aios user add --role owner`), then remove this one.');
    await tx.deleteFrom('memberships').where('tenant_id', '=', tenantId).where('principal_id', '=', userId).execute();
    const revoked = await tx.updateTable('api_tokens').set({ revoked_at: now }).where('tenant_id', '=', tenantId).where('principal_id', '=', userId).where('revoked_at', 'is', null).executeTakeFirst();
    return { user, revokedTokens: Number(revoked.numUpdatedRows) };
  });
}

/**
 * The machine principal (assistant or integration) of this business with this name, created if
 * missing: a second token for the same assistant is the same principal (same proposer).
 */
export async function ensureMachinePrincipal(db: Db, tenantId: string, kind: MachineKind, name: string): Promise<Member> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`aios:machine:${tenantId}:${kind}:${name}`}))`.execute(tx);
    const found = await memberQuery(tx, tenantId).where('principals.kind', '=', kind).where('principals.name', '=', name).orderBy('memberships.created_at').executeTakeFirst();
    if (found) return found;
    const id = newId('pr');
    await tx.insertInto('principals').values({ id, kind, name }).execute();
    await tx.insertInto('memberships').values({ principal_id: id, tenant_id: tenantId, role: null }).execute();
    return memberQuery(tx, tenantId).where('principals.id', '=', id).executeTakeFirstOrThrow();
  });
}
