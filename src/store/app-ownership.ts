import { sql } from 'kysely';
import type { Db } from './db.js';

/**
 * Who owns what in an AIOS database. Run by the administrator after every migration (new tables
 * are created by the administrator), idempotent, and a no-op when nothing changed:
 *
 * - the application role owns every table, view and sequence in `public` and the `dbos` schema
 *   with everything in it (DBOS migrates its own schema at launch), and may CONNECT and CREATE on
 *   the database (DBOS creates its schema on a fresh database);
 * - the administrator keeps `audit_log` (with its sequence and the append-only trigger function)
 *   and the migration tables; the application may only SELECT and INSERT the audit log and take
 *   ids from its sequence, so it cannot update, delete, truncate, drop or disable the trigger.
 */

/** Objects in `public` that stay with the administrator. */
export const ADMIN_TABLES = ['audit_log', 'aios_migrations', 'aios_migrations_lock'] as const;
/** The only rights the application has on the audit log. */
const AUDIT_RIGHTS = ['SELECT', 'INSERT'] as const;
const AUDIT_DENIED = ['UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

/** Double-quotes a PostgreSQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const KIND_KEYWORD: Record<string, string> = { r: 'table', p: 'table', f: 'foreign table', v: 'view', m: 'materialized view', S: 'sequence' };

interface Rel {
  schema: string;
  name: string;
  kind: string;
  owner: string;
}

/** Relations of a schema, without sequences that belong to a table column (they follow the table). */
async function relations(db: Db, schema: string): Promise<Rel[]> {
  const r = await sql<Rel>`
    select n.nspname as schema, c.relname as name, c.relkind as kind, pg_get_userbyid(c.relowner) as owner
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'p', 'f', 'v', 'm', 'S')
      and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i') and d.refclassid = 'pg_class'::regclass)
    order by c.relname`.execute(db);
  return r.rows;
}

/**
 * Gives `role` what it should own and nothing more (see the module comment). Runs in the
 * caller's transaction as the administrator. Returns the statements it had to run (empty when
 * everything was already in place).
 */
export async function handOverToAppRole(db: Db, role: string): Promise<string[]> {
  const done: string[] = [];
  const run = async (stmt: string) => {
    await sql.raw(stmt).execute(db);
    done.push(stmt);
  };
  const r = quoteIdent(role);
  const admin = (await sql<{ u: string }>`select current_user as u`.execute(db)).rows[0]!.u;
  const dbName = (await sql<{ d: string }>`select current_database() as d`.execute(db)).rows[0]!.d;

  const dbRights = await sql<{ c: boolean; k: boolean }>`select has_database_privilege(${role}, current_database(), 'CONNECT') as c, has_database_privilege(${role}, current_database(), 'CREATE') as k`.execute(db);
  if (!dbRights.rows[0]!.c || !dbRights.rows[0]!.k) await run(`grant connect, create on database ${quoteIdent(dbName)} to ${r}`);
  const usage = await sql<{ u: boolean }>`select has_schema_privilege(${role}, 'public', 'USAGE') as u`.execute(db);
  if (!usage.rows[0]!.u) await run(`grant usage on schema public to ${r}`);

  const keep = new Set<string>(ADMIN_TABLES);
  for (const rel of await relations(db, 'public')) {
    const target = keep.has(rel.name) ? admin : role;
    if (rel.owner !== target) await run(`alter ${KIND_KEYWORD[rel.kind]} public.${quoteIdent(rel.name)} owner to ${quoteIdent(target)}`);
  }
  const fn = await sql<{ owner: string }>`select pg_get_userbyid(proowner) as owner from pg_proc where proname = 'audit_log_append_only' and pronamespace = 'public'::regnamespace`.execute(db);
  if (fn.rows[0] && fn.rows[0].owner !== admin) await run(`alter function public.audit_log_append_only() owner to ${quoteIdent(admin)}`);

  const audit = await sql<{ seq: string | null }>`select pg_get_serial_sequence('public.audit_log', 'id') as seq`.execute(db);
  if (audit.rows.length) {
    for (const right of AUDIT_RIGHTS) {
      const has = await sql<{ h: boolean }>`select has_table_privilege(${role}, 'public.audit_log', ${right}) as h`.execute(db);
      if (!has.rows[0]!.h) await run(`grant ${right.toLowerCase()} on public.audit_log to ${r}`);
    }
    for (const right of AUDIT_DENIED) {
      const has = await sql<{ h: boolean }>`select has_table_privilege(${role}, 'public.audit_log', ${right}) as h`.execute(db);
      if (has.rows[0]!.h) await run(`revoke ${right.toLowerCase()} on public.audit_log from ${r}`);
    }
    const seq = audit.rows[0]!.seq;
    if (seq) {
      const s = await sql<{ u: boolean; w: boolean }>`select has_sequence_privilege(${role}, ${seq}, 'USAGE') as u, has_sequence_privilege(${role}, ${seq}, 'UPDATE') as w`.execute(db);
      if (!s.rows[0]!.u) await run(`grant usage on sequence ${seq} to ${r}`);
      if (s.rows[0]!.w) await run(`revoke update on sequence ${seq} from ${r}`);
    }
  }

  await handOverDbosSchema(db, role, run);
  return done;
}

/** The `dbos` schema (when DBOS already created it, e.g. as a superuser before) and its objects. */
async function handOverDbosSchema(db: Db, role: string, run: (stmt: string) => Promise<void>): Promise<void> {
  const r = quoteIdent(role);
  const schema = await sql<{ owner: string }>`select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = 'dbos'`.execute(db);
  if (!schema.rows[0]) return;
  if (schema.rows[0].owner !== role) await run(`alter schema dbos owner to ${r}`);
  for (const rel of await relations(db, 'dbos')) {
    if (rel.owner !== role) await run(`alter ${KIND_KEYWORD[rel.kind]} dbos.${quoteIdent(rel.name)} owner to ${r}`);
  }
  const fns = await sql<{ sig: string; kind: string }>`
    select p.oid::regprocedure::text as sig, p.prokind as kind from pg_proc p
    where p.pronamespace = 'dbos'::regnamespace and p.proowner <> (select oid from pg_roles where rolname = ${role})`.execute(db);
  for (const f of fns.rows) await run(`alter ${f.kind === 'p' ? 'procedure' : 'function'} ${f.sig} owner to ${r}`);
  const types = await sql<{ name: string }>`
    select t.oid::regtype::text as name from pg_type t
    where t.typnamespace = 'dbos'::regnamespace and t.typrelid = 0 and t.typelem = 0
      and t.typowner <> (select oid from pg_roles where rolname = ${role})`.execute(db);
  for (const t of types.rows) await run(`alter type ${t.name} owner to ${r}`);
}
