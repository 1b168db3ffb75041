import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { AiosError, ConfigError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { openDb, migrate, checkReachable, type Db } from './db.js';
import { handOverToAppRole, quoteIdent } from './app-ownership.js';

/**
 * The application's own PostgreSQL role. AIOS migrates with an administrator connection (the
 * embedded server's superuser, or `AIOS_DATABASE_ADMIN_URL`) and works through a LOGIN role that
 * is not a superuser, cannot create roles or databases, owns the business tables and DBOS's schema,
 * and only reads and appends to the audit log (see `app-ownership.ts`).
 */

/** File in AIOS_HOME holding the app role's password when the admin URL carries none (0600). */
export const APP_PASSWORD_FILE = 'db-app-password';

/** Longest PostgreSQL identifier, in bytes. */
const MAX_IDENT = 63;

/**
 * Name of the application role for database `dbName`: `<db>_app`. Role names are cluster-wide,
 * so the database's name is part of it (many AIOS databases can share one server). Names that
 * would pass 63 bytes are shortened with a hash of the full name.
 */
export function appRoleName(dbName: string): string {
  const name = `${dbName}_app`;
  if (Buffer.byteLength(name) <= MAX_IDENT) return name;
  const h = createHmac('sha256', 'aios-app-role').update(dbName).digest('hex').slice(0, 8);
  return `${dbName.slice(0, 40)}_${h}_app`;
}

/** The database named in a PostgreSQL URL. Throws ConfigError naming `variable` when it has none. */
export function databaseName(url: string, variable: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new ConfigError('environment', variable, 'must name a database, e.g. postgres://user:pass@host:5432/aios');
  return name;
}

/**
 * The app role's password, the same in every worker: HMAC-SHA256 of the role name keyed by the
 * admin URL's password (base64url). When the admin URL has no password, a random one is kept in
 * `AIOS_HOME/db-app-password` (0600); workers on other machines then need DATABASE_URL instead.
 */
export function appRolePassword(adminUrl: string, role: string, home: string): string {
  const adminPassword = decodeURIComponent(new URL(adminUrl).password);
  if (adminPassword) return createHmac('sha256', adminPassword).update(`aios-app-role\0${role}`).digest('base64url');
  const file = join(home, APP_PASSWORD_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const pw = randomBytes(24).toString('base64url');
  writeFileSync(file, pw + '\n', { mode: 0o600 });
  return pw;
}

/** `adminUrl` with the user and password replaced (host, port, database and options kept). */
export function withCredentials(adminUrl: string, user: string, password: string): string {
  const u = new URL(adminUrl);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * Creates the role when missing, else resets it to LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
 * NOREPLICATION NOBYPASSRLS with `password`. Runs in the caller's transaction.
 */
async function ensureRole(tx: Db, role: string, password: string): Promise<void> {
  if (!/^[A-Za-z0-9_-]+$/.test(password)) throw new Error('app role password must be base64url');
  const exists = await sql<{ n: number }>`select 1 as n from pg_roles where rolname = ${role}`.execute(tx);
  const attrs = `login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password '${password}'`;
  await sql.raw(`${exists.rows.length ? 'alter' : 'create'} role ${quoteIdent(role)} with ${attrs}`).execute(tx);
}

/** Whether `role` exists and is a superuser (null when it does not exist). */
async function isSuperuser(db: Db, role: string): Promise<boolean | null> {
  const r = await sql<{ rolsuper: boolean }>`select rolsuper from pg_roles where rolname = ${role}`.execute(db);
  return r.rows[0]?.rolsuper ?? null;
}

/**
 * With the administrator connection: migrates, ensures the application's role and hands it the
 * tables (all in one transaction under an advisory lock, so several workers starting together
 * agree). `embedded`: the admin URL is the embedded server's (already reachable). Returns the URL
 * the application connects with:
 * - `appUrl` null → the role `<db>_app`, created and kept by AIOS (password from
 *   {@link appRolePassword});
 * - `appUrl` given (DATABASE_URL beside AIOS_DATABASE_ADMIN_URL) → its user, which must exist,
 *   must not be a superuser and must be on the same database.
 */
export async function prepareAppDatabase(opts: { adminUrl: string; appUrl: string | null; home: string; log: Logger; embedded?: boolean }): Promise<string> {
  const variable = 'AIOS_DATABASE_ADMIN_URL';
  const dbName = databaseName(opts.adminUrl, variable);
  const { db, pool } = openDb(opts.adminUrl, 2);
  try {
    if (!opts.embedded) await checkReachable(pool, opts.adminUrl, variable);
    await migrate(db);
    let role: string;
    let url: string;
    let password: string | null = null;
    if (opts.appUrl) {
      if (databaseName(opts.appUrl, 'DATABASE_URL') !== dbName) throw new ConfigError('environment', 'DATABASE_URL', `names database "${databaseName(opts.appUrl, 'DATABASE_URL')}" but AIOS_DATABASE_ADMIN_URL names "${dbName}"`, 'Point both at the same database.');
      role = decodeURIComponent(new URL(opts.appUrl).username);
      const sup = await isSuperuser(db, role);
      if (sup === null) throw new ConfigError('environment', 'DATABASE_URL', `user "${role}" does not exist`, 'Create it (CREATE ROLE … LOGIN PASSWORD …), or unset DATABASE_URL and AIOS creates its own role.');
      if (sup) throw new ConfigError('environment', 'DATABASE_URL', `user "${role}" is a superuser, so it could change the audit log`, 'Give DATABASE_URL a role without SUPERUSER, or unset DATABASE_URL and AIOS creates its own role from AIOS_DATABASE_ADMIN_URL.');
      url = opts.appUrl;
    } else {
      role = appRoleName(dbName);
      password = appRolePassword(opts.adminUrl, role, opts.home);
      url = withCredentials(opts.adminUrl, role, password);
    }
    try {
      await db.transaction().execute(async (tx) => {
        await sql`select pg_advisory_xact_lock(hashtext('aios:app-role'))`.execute(tx);
        if (password !== null) await ensureRole(tx, role, password);
        const changed = await handOverToAppRole(tx, role);
        if (changed.length) opts.log.info({ role, changed: changed.length }, 'handed the database objects to the application role');
      });
    } catch (err) {
      if (err instanceof AiosError) throw err;
      throw new AiosError('database_role_failed', `Could not set up the application role "${role}": ${err instanceof Error ? err.message : String(err)}`, {
        fix: opts.embedded ? 'Check the PostgreSQL log under AIOS_HOME/pg; start AIOS again.' : `${variable} must be a role that can create roles and change table owners (a superuser, or a CREATEROLE role that is a member of "${role}").`,
        cause: err,
      });
    }
    return url;
  } finally {
    await db.destroy();
  }
}

/**
 * For a plain DATABASE_URL (no admin URL): warns when it connects as a superuser, which could
 * disable the audit log's append-only trigger.
 */
export async function warnIfSuperuser(db: Db, log: Logger): Promise<void> {
  const r = await sql<{ rolsuper: boolean; u: string }>`select rolsuper, current_user as u from pg_roles where rolname = current_user`.execute(db);
  if (r.rows[0]?.rolsuper) {
    log.warn(
      { user: r.rows[0].u, fix: 'Set AIOS_DATABASE_ADMIN_URL to the administrator connection and DATABASE_URL to a role without SUPERUSER (or unset DATABASE_URL: AIOS then creates "<database>_app").' },
      'DATABASE_URL connects as a superuser: the application could change or erase the audit log',
    );
  }
}
