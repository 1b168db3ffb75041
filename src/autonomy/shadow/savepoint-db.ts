import {
  CompiledQuery, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type QueryResult,
} from 'kysely';
import type { Db } from '../../store/db.js';
import type { Database } from '../../store/schema.js';

/**
 * A Kysely database over ONE connection that is already inside a transaction (`outer`), where
 * every `db.transaction()` becomes a SAVEPOINT: commit releases it, rollback rolls back to it.
 * Playbook code that opens its own transactions (`withBookingLock`, `raise`, …) runs unchanged,
 * and everything it wrote disappears when the caller rolls `outer` back. Transaction-scoped
 * advisory locks taken inside a savepoint are held by the outer transaction until it ends (they
 * are re-entrant within the session, so nested takers do not block themselves).
 *
 * Transactions on it must not overlap in time (one shadow run at a time): savepoints are a stack.
 */
export class SavepointDb {
  readonly db: Db;
  private seq = 0;
  private readonly stack: string[] = [];

  /** The last query sent: queries are sent one at a time (one connection; `Promise.all` in playbook code is fine). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly outer: Db) {
    const conn: DatabaseConnection = {
      executeQuery: <R>(q: CompiledQuery): Promise<QueryResult<R>> => this.serial(() => outer.executeQuery<R>(q)),
      // eslint-disable-next-line require-yield
      streamQuery: async function* () {
        throw new Error('streaming queries are not available in a shadow run');
      },
    };
    const driver: Driver = {
      init: async () => undefined,
      acquireConnection: async () => conn,
      beginTransaction: async () => {
        await this.push();
      },
      commitTransaction: async () => {
        await this.release();
      },
      rollbackTransaction: async () => {
        await this.rollback();
      },
      // Kysely's own savepoint API (`tx.savepoint(name)`), passed through.
      savepoint: async (c, name) => void (await c.executeQuery(CompiledQuery.raw(`savepoint ${quoteName(name)}`))),
      rollbackToSavepoint: async (c, name) => void (await c.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteName(name)}`))),
      releaseSavepoint: async (c, name) => void (await c.executeQuery(CompiledQuery.raw(`release savepoint ${quoteName(name)}`))),
      releaseConnection: async () => undefined,
      destroy: async () => undefined,
    };
    const dialect: Dialect = {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => driver,
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    };
    this.db = new Kysely<Database>({ dialect });
  }

  /** Runs `fn` inside a savepoint: on a throw, what it wrote is undone and the error rethrown (the outer transaction stays usable). */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    await this.push();
    try {
      const out = await fn();
      await this.release();
      return out;
    } catch (err) {
      await this.rollback();
      throw err;
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(fn, fn);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Open savepoints (0 outside any nested transaction). */
  get depth(): number {
    return this.stack.length;
  }

  private async push(): Promise<void> {
    const name = `aios_sp_${++this.seq}`;
    await this.serial(() => this.outer.executeQuery(CompiledQuery.raw(`savepoint ${name}`)));
    this.stack.push(name);
  }

  private async release(): Promise<void> {
    const name = this.stack.pop();
    if (!name) throw new Error('shadow database: commit without a transaction');
    await this.serial(() => this.outer.executeQuery(CompiledQuery.raw(`release savepoint ${name}`)));
  }

  private async rollback(): Promise<void> {
    const name = this.stack.pop();
    if (!name) throw new Error('shadow database: rollback without a transaction');
    await this.serial(() => this.outer.executeQuery(CompiledQuery.raw(`rollback to savepoint ${name}`)));
    await this.serial(() => this.outer.executeQuery(CompiledQuery.raw(`release savepoint ${name}`)));
  }
}

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
