import pg from 'pg';
import { Kysely, PostgresDialect, Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.js';
import { AiosError } from '../core/errors.js';
import { poolClient } from './prepared-statements.js';
import { withSessionSettings } from './session-options.js';
import * as m0001 from './migrations/0001-backbone.js';
import * as m0002 from './migrations/0002-knowledge.js';
import * as m0003 from './migrations/0003-connections.js';
import * as m0005 from './migrations/0005-calendar.js';
import * as m0006 from './migrations/0006-telephony.js';
import * as m0007 from './migrations/0007-principals.js';
import * as m0008 from './migrations/0008-contact-names.js';
import * as m0009 from './migrations/0009-owner-sms-approvals.js';
import * as m0010 from './migrations/0010-redact-stored-links.js';
import * as m0011 from './migrations/0011-sms-segments.js';
import * as m0012 from './migrations/0012-bookings.js';
import * as m0013 from './migrations/0013-calls.js';
import * as m0014 from './migrations/0014-conversation-state.js';
import * as m0015 from './migrations/0015-watchers.js';
import * as m0016 from './migrations/0016-email-triage.js';
import * as m0017 from './migrations/0017-invoice-chase.js';
import * as m0018 from './migrations/0018-proposals.js';
import * as m0020 from './migrations/0020-approval-untrusted.js';
import * as m0021 from './migrations/0021-dashboard-login.js';
import * as m0026 from './migrations/0026-deal-stage-time.js';
import * as m0023 from './migrations/0023-audits.js';
import * as m0024 from './migrations/0024-knowledge-source-url.js';
import * as m0028 from './migrations/0028-dashboard-indexes.js';
import * as m0029 from './migrations/0029-briefs.js';
import * as m0030 from './migrations/0030-ledger-roi.js';
import * as m0031 from './migrations/0031-document-qc.js';
import * as m0032 from './migrations/0032-content.js';
import * as m0033 from './migrations/0033-executor-heartbeats.js';
import * as m0035 from './migrations/0035-client-reports.js';
import * as m0036 from './migrations/0036-document-files.js';
import * as m0037 from './migrations/0037-content-images-writer.js';
import * as m0038 from './migrations/0038-run-parking.js';
import * as m0039 from './migrations/0039-park-on-business-clock.js';

export type Db = Kysely<Database>;

/** All migrations, in order. Forward-only; each runs once, inside a transaction. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-backbone': m0001,
  '0002-knowledge': m0002,
  '0003-connections': m0003,
  '0005-calendar': m0005,
  '0006-telephony': m0006,
  '0007-principals': m0007,
  '0008-contact-names': m0008,
  '0009-owner-sms-approvals': m0009,
  '0010-redact-stored-links': m0010,
  '0011-sms-segments': m0011,
  '0012-bookings': m0012,
  '0013-calls': m0013,
  '0014-conversation-state': m0014,
  '0015-watchers': m0015,
  '0016-email-triage': m0016,
  '0017-invoice-chase': m0017,
  '0018-proposals': m0018,
  '0020-approval-untrusted': m0020,
  '0021-dashboard-login': m0021,
  '0023-audits': m0023,
  '0024-knowledge-source-url': m0024,
  '0026-deal-stage-time': m0026,
  '0028-dashboard-indexes': m0028,
  '0029-briefs': m0029,
  '0030-ledger-roi': m0030,
  '0031-document-qc': m0031,
  '0032-content': m0032,
  '0033-executor-heartbeats': m0033,
  '0035-client-reports': m0035,
  '0036-document-files': m0036,
  '0037-content-images-writer': m0037,
  '0038-run-parking': m0038,
  '0039-park-on-business-clock': m0039,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly before?: string) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const before = this.before;
    return before === undefined ? MIGRATIONS : Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < before));
  }
}

/**
 * Opens a `pg.Pool` of at most `max` connections; `prepared` runs hot statements as named
 * prepared statements (`prepared-statements.ts`, default on). Idle-client errors are absorbed:
 * they surface on the next query.
 */
export function openPool(url: string, max = 10, opts: { prepared?: boolean } = {}): pg.Pool {
  const prepared = opts.prepared ?? true;
  // A prepared statement still gets a plan for its actual values each time (a generic plan of the
  // policy's recipient query took 230 ms instead of 0.2): only the parsing and analysis are saved.
  const connectionString = prepared ? withSessionSettings(url, { plan_cache_mode: 'force_custom_plan' }) : url;
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 10_000, Client: poolClient(prepared) });
  pool.on('error', () => {
    /* idle client errors surface on the next query */
  });
  // A client checked out of the pool has no error listener of pg-pool's: its socket dying under a
  // query (PostgreSQL restarting, SQLSTATE 57P01, then EPIPE) would be an unhandled 'error' event
  // and end the process. The error already fails the client's queries, and the pool drops the
  // client when it comes back (no longer queryable); here it only must not be thrown.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/** Opens a pooled Kysely connection over {@link openPool}. */
export function openDb(url: string, max = 10, opts: { prepared?: boolean } = {}): { db: Db; pool: pg.Pool } {
  const pool = openPool(url, max, opts);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/**
 * Checks the database answers, turning "connection refused" and friends into a clear message
 * instead of a stack trace.
 */
export async function checkReachable(pool: pg.Pool, url: string, variable = 'DATABASE_URL'): Promise<void> {
  try {
    const c = await pool.connect();
    c.release();
  } catch (err) {
    const safe = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    const reason = err instanceof Error ? err.message : String(err);
    throw new AiosError('database_unreachable', `Cannot reach PostgreSQL at ${safe}: ${reason}`, {
      fix: `Check ${variable} (host, port, user, password, database) and that the server is running, or unset ${variable} to use the embedded database.`,
      cause: err,
    });
  }
}

/**
 * Applies pending migrations. Throws with the failing migration's name. `before` (tests of a
 * migration on old data) stops short of the first migration whose name sorts at or after it,
 * e.g. `'0009'` leaves the database as the release before 0009 had it.
 */
export async function migrate(db: Db, opts: { before?: string } = {}): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticProvider(opts.before), migrationTableName: 'aios_migrations', migrationLockTableName: 'aios_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AiosError('migration_failed', `Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      fix: 'The database was left at the previous version. Fix the cause above and start again.',
      cause: error,
    });
  }
}
