import pg from 'pg';

/**
 * Named prepared statements for the hot path.
 *
 * node-postgres sends every parameterised query as an unnamed statement, so PostgreSQL parses,
 * analyses and plans it again each time. A missed-call run issues ~48 such statements (DBOS's
 * checkpoints and AIOS's own writes); measured on the 2-core machine, PostgreSQL's share of the CPU
 * was ~45 %, much of it in the parser, the catalogue caches and the planner. A text seen
 * {@link PREPARE_AFTER_USES} times gets a process-wide name; each connection prepares it once
 * (PostgreSQL keeps the statement for the connection's life) and afterwards only binds and
 * executes it.
 *
 * Bounded: at most {@link MAX_NAMED_TEXTS} texts are named per process and
 * {@link MAX_PER_CONNECTION} statements prepared per connection (the rest run unnamed), so SQL
 * built with varying shapes cannot grow PostgreSQL's memory without end.
 *
 * Schema changes: a prepared `select *` whose table gained a column fails with "cached plan must
 * not change result type" (SQLSTATE 0A000). When that happens this process stops naming
 * statements for good; the statement is run again unnamed when it ran outside a transaction
 * (nothing to undo), and inside one the error reaches the caller like any failed statement
 * (a step retries, a webhook is answered 500 and redelivered). Off with `AIOS_PREPARED_STATEMENTS=0`
 * (e.g. behind a PgBouncer in transaction mode older than 1.21).
 */

/** Uses of one text before it is prepared: a one-off statement stays unnamed. */
export const PREPARE_AFTER_USES = 2;
/** Distinct texts named per process. */
export const MAX_NAMED_TEXTS = 400;
/** Statements prepared per connection. */
export const MAX_PER_CONNECTION = 200;

/** Text → uses so far (number) or its statement name (string). */
const seen = new Map<string, number | string>();
let named = 0;
let disabled = false;
let disabledReason: string | null = null;
let fallbacks = 0;

function nameFor(text: string): string | null {
  const v = seen.get(text);
  if (typeof v === 'string') return v;
  const uses = (v ?? 0) + 1;
  if (uses < PREPARE_AFTER_USES) {
    // Counting is bounded like naming: past the cap, a new text is not even counted.
    if (seen.size < MAX_NAMED_TEXTS * 4) seen.set(text, uses);
    return null;
  }
  if (named >= MAX_NAMED_TEXTS) return null;
  const name = `aios_${++named}`;
  seen.set(text, name);
  return name;
}

/** True for PostgreSQL's refusal to reuse a prepared plan whose result columns changed under it. */
function isStalePlan(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '0A000' && /cached plan must not change result type/.test(e.message ?? '');
}

/**
 * A `pg.Client` that runs parameterised text queries as named prepared statements (see the module
 * comment), in both of pg's call styles (promise, and the callback `pg.Pool#query` uses). Queries
 * without parameters, and config objects or `Submittable`s (cursors), pass through unchanged.
 */
export class PreparingClient extends pg.Client {
  readonly #prepared = new Set<string>();

  // pg's overloads cannot be re-declared one by one here; the call is forwarded as given.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    if (disabled || typeof config !== 'string' || !Array.isArray(values) || values.length === 0 || (callback !== undefined && typeof callback !== 'function')) {
      return super.query(config, values, callback);
    }
    const name = nameFor(config);
    if (name === null) return super.query(config, values, callback);
    if (!this.#prepared.has(name)) {
      if (this.#prepared.size >= MAX_PER_CONNECTION) return super.query(config, values, callback);
      this.#prepared.add(name);
    }
    // The status before this statement runs: 'I' means it is its own transaction.
    const statusBefore = this.getTransactionStatus();
    const text: string = config;
    /** On a stale plan: stop preparing; the error to pass on, or null when the statement may simply run again unnamed. */
    const onStale = (err: unknown): unknown => {
      if (!isStalePlan(err)) return err;
      if (!disabled) {
        disabled = true;
        disabledReason = err instanceof Error ? err.message : String(err);
      }
      if (statusBefore !== 'I') return err;
      fallbacks++;
      return null;
    };
    if (typeof callback === 'function') {
      const cb = callback as (err: unknown, res?: pg.QueryResult) => void;
      return super.query({ name, text, values }, (err: Error | null, res?: pg.QueryResult) => {
        if (!err) return cb(null, res);
        const pass = onStale(err);
        if (pass !== null) return cb(pass);
        super.query(text, values, cb);
      });
    }
    return (super.query({ name, text, values }) as Promise<pg.QueryResult>).catch((err: unknown) => {
      const pass = onStale(err);
      if (pass !== null) throw pass;
      return super.query(text, values);
    });
  }
}

/** What the process prepared so far (for tests and diagnostics). */
export function preparedStatementStats(): { named: number; disabled: boolean; disabledReason: string | null; fallbacks: number } {
  return { named, disabled, disabledReason, fallbacks };
}

/** The `Client` class for a `pg.Pool`: preparing, unless turned off. */
export function poolClient(prepared: boolean): typeof pg.Client {
  return prepared ? PreparingClient : pg.Client;
}
