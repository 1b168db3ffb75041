import type { Db } from '../../store/db.js';
import type { Logger } from '../../core/logger.js';
import type { Connector } from './connector.js';
import type { SecretBox } from './secret-box.js';
import { DEFAULT_BACKOFF, runPoll, type BackoffPolicy, type PollOutcome, type PollOptions } from './poll-engine.js';
import './tables.js';

/** Timer functions, injectable so tests drive time by hand. */
export interface PollerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollerOptions {
  db: Db;
  /** Known connector kinds; connections of other kinds are skipped. */
  connectors: Connector<any>[];
  box: SecretBox;
  log?: Pick<Logger, 'warn' | 'error'>;
  /** Delay between successful polls of one connection, in ms (default 300 000 = 5 min). */
  intervalMs?: number;
  backoff?: BackoffPolicy;
  now?: () => Date;
  timers?: PollerTimers;
  /** Passed to every poll: files each new item inside its transaction. */
  onItem?: PollOptions['onItem'];
}

/**
 * Schedules polls per connection: after a success, again in `intervalMs` (at once when the
 * provider has more); after a failure, at the connection's `next_retry_at` (exponential backoff);
 * never after `auth_failed` or `disabled` — `schedule(id)` resumes one (e.g. after new credentials).
 * Polls of one connection never overlap.
 */
export class Poller {
  readonly #o: Required<Omit<PollerOptions, 'log' | 'onItem'>> & { log?: PollerOptions['log']; onItem?: PollerOptions['onItem'] };
  readonly #kinds: Map<string, Connector<any>>;
  readonly #timers = new Map<string, { handle: unknown; dueAt: number }>();
  readonly #running = new Map<string, Promise<PollOutcome | null>>();
  #stopped = false;

  constructor(opts: PollerOptions) {
    this.#o = {
      intervalMs: 300_000,
      backoff: DEFAULT_BACKOFF,
      now: () => new Date(),
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms).unref(), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
      ...opts,
    };
    this.#kinds = new Map(opts.connectors.map((c) => [c.kind, c]));
  }

  /** Schedules every pollable connection (all tenants, or one): due retries at their time, others at once. */
  async start(tenantId?: string): Promise<void> {
    this.#stopped = false;
    let q = this.#o.db.selectFrom('connections').select(['id', 'kind', 'status', 'next_retry_at']).where('status', 'in', ['ok', 'error']);
    if (tenantId) q = q.where('tenant_id', '=', tenantId);
    for (const row of await q.execute()) {
      const c = this.#kinds.get(row.kind);
      if (!c?.polling?.length) continue;
      const wait = row.status === 'error' && row.next_retry_at ? row.next_retry_at.getTime() - this.#o.now().getTime() : 0;
      this.schedule(row.id, Math.max(0, wait));
    }
  }

  /** (Re)schedules one connection's next poll in `delayMs` ms (default: now). */
  schedule(connectionId: string, delayMs = 0): void {
    if (this.#stopped) return;
    this.unschedule(connectionId);
    const handle = this.#o.timers.setTimeout(() => {
      this.#timers.delete(connectionId);
      void this.pollNow(connectionId);
    }, delayMs);
    this.#timers.set(connectionId, { handle, dueAt: this.#o.now().getTime() + delayMs });
  }

  /** Cancels a connection's scheduled poll, if any. */
  unschedule(connectionId: string): void {
    const t = this.#timers.get(connectionId);
    if (t) this.#o.timers.clearTimeout(t.handle);
    this.#timers.delete(connectionId);
  }

  /** When each connection's next poll is due (ms since epoch). */
  scheduled(): Map<string, number> {
    return new Map([...this.#timers].map(([id, t]) => [id, t.dueAt]));
  }

  /** Polls one connection now (joining a poll already running) and schedules the next one. Null when not pollable. */
  async pollNow(connectionId: string): Promise<PollOutcome | null> {
    const running = this.#running.get(connectionId);
    if (running) return running;
    const p = this.#tick(connectionId).finally(() => this.#running.delete(connectionId));
    this.#running.set(connectionId, p);
    return p;
  }

  async #tick(id: string): Promise<PollOutcome | null> {
    try {
      const row = await this.#o.db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
      const connector = row && this.#kinds.get(row.kind);
      if (!row || !connector) return null;
      const outcome = await runPoll(this.#o.db, connector, row, { box: this.#o.box, now: this.#o.now, backoff: this.#o.backoff, onItem: this.#o.onItem, onAfterCommitError: (err) => this.#o.log?.warn({ connectionId: id, err }, 'work after a poll commit failed; it is repaired at the next start') });
      if (outcome.status === 'ok') this.schedule(id, outcome.more ? 0 : this.#o.intervalMs);
      else if (outcome.status === 'error' && outcome.nextRetryAt) this.schedule(id, Math.max(0, outcome.nextRetryAt.getTime() - this.#o.now().getTime()));
      else this.unschedule(id);
      if (outcome.error) this.#o.log?.warn({ connectionId: id, kind: outcome.error.kind, status: outcome.status }, `connection poll failed: ${outcome.error.message}`);
      return outcome;
    } catch (err) {
      // The database itself failed (status could not be saved): try again after the cap.
      this.#o.log?.error({ connectionId: id, err }, 'connection poll could not be recorded');
      this.schedule(id, this.#o.backoff.capMs);
      return null;
    }
  }

  /** Waits for polls in flight to finish. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }

  /** Cancels all timers and waits for polls in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const id of [...this.#timers.keys()]) this.unschedule(id);
    await this.idle();
  }
}
