import type * as Argon2 from '@node-rs/argon2';
import { lazyModule } from '../core/lazy-module.js';

/** argon2 (a native addon), loaded at the first password set or checked. */
const argon2 = lazyModule<typeof Argon2>('@node-rs/argon2');
import { sql } from 'kysely';
import type { Db } from '../store/db.js';
import { InputError, NotFoundError } from '../core/errors.js';

/** Shortest dashboard password accepted (characters). */
export const PASSWORD_MIN_LENGTH = 10;
/** Longest accepted (characters): argon2 hashes any length, this bounds the work an attacker can ask for. */
export const PASSWORD_MAX_LENGTH = 256;

// A hash of a random string: unknown emails are verified against it, so a login for an email
// that does not exist takes as long as one with a wrong password (no user enumeration by timing).
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= argon2().hash(`no-such-user-${Math.random()}`));

/** Checks a new password's length; InputError says what to choose. */
export function checkNewPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) throw new InputError(`the password is ${password.length} characters; at least ${PASSWORD_MIN_LENGTH} are needed`, { fix: `Choose a password of ${PASSWORD_MIN_LENGTH} or more characters (a few words work well).` });
  if (password.length > PASSWORD_MAX_LENGTH) throw new InputError(`the password is longer than ${PASSWORD_MAX_LENGTH} characters`, { fix: `Choose a password of at most ${PASSWORD_MAX_LENGTH} characters.` });
}

/**
 * Sets (or replaces) a user's dashboard password, stored as an argon2id hash. Their open sessions
 * are revoked (a password change logs every browser out), except `opts.keepSession` (a session
 * ref `ses_…`: the browser the user changed their own password from). Throws NotFoundError for a
 * principal that is not a user.
 */
export async function setPassword(db: Db, principalId: string, password: string, now: Date, opts: { keepSession?: string } = {}): Promise<void> {
  checkNewPassword(password);
  const passwordHash = await argon2().hash(password);
  const r = await db.updateTable('principals').set({ password_hash: passwordHash, password_set_at: now }).where('id', '=', principalId).where('kind', '=', 'user').executeTakeFirst();
  if (!r.numUpdatedRows) throw new NotFoundError('user', principalId);
  let q = db.updateTable('sessions').set({ revoked_at: now }).where('principal_id', '=', principalId).where('revoked_at', 'is', null);
  if (opts.keepSession?.startsWith('ses_')) q = q.where(sql<string>`'ses_' || left(id_hash, 12)`, '!=', opts.keepSession);
  await q.execute();
}

/**
 * The user with this email and password, or null (unknown email, no password set, wrong
 * password: the caller says nothing more specific). Always runs one argon2 verification.
 */
export async function verifyPassword(db: Db, email: string, password: string): Promise<{ id: string; name: string; email: string } | null> {
  const row = await db.selectFrom('principals').select(['id', 'name', 'email', 'password_hash']).where('kind', '=', 'user').where(sql`lower(email)`, '=', email.trim().toLowerCase()).executeTakeFirst();
  if (password.length > PASSWORD_MAX_LENGTH) return null;
  const ok = await argon2().verify(row?.password_hash ?? (await dummy()), password).catch(() => false);
  return ok && row?.password_hash && row.email ? { id: row.id, name: row.name, email: row.email } : null;
}
