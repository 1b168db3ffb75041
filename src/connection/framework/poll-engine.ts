import { sql } from 'kysely';
import type { Db } from '../../store/db.js';
import { AiosError, isRetryable } from '../../core/errors.js';
import { appendEvent } from '../events.js';
import type { ConnectorItem, Connector, ConnectorContext, PollingTrigger } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { SecretBox, SecretDecryptError } from './secret-box.js';
import { readCredentials } from './connections.js';
import { quarantineItem } from './quarantine.js';
import type { ConnectionRow, ConnectionStatus } from './tables.js';

/** Exponential backoff for failed polls: `baseMs · 2^(failures−1)`, at most `capMs`. */
export interface BackoffPolicy {
  /** Delay after the first failure, in ms (default 30 000). */
  baseMs: number;
  /** Longest delay, in ms (default 3 600 000 = 1 h). Non-retryable, non-auth errors wait this long. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, capMs: 3_600_000 };

/** Delay before retry number `failures` (1 = first failure), in ms. */
export function backoffDelayMs(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exp = Math.min(Math.max(failures, 1) - 1, 30);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exp);
}

export interface PollOptions {
  /** Opens the credentials; default `SecretBox.fromEnvironment()`. */
  box?: SecretBox;
  now?: () => Date;
  backoff?: BackoffPolicy;
  /** When a trigger says `more`, poll it again at once, at most this many rounds (default 20). */
  maxRounds?: number;
  signal?: AbortSignal;
  /** Test hook: runs inside the transaction after the items are written, before the commit. */
  beforeCommit?: (tx: Db) => Promise<void>;
  /**
   * Runs for each new (not duplicate) item inside the same transaction as its event, e.g. to file
   * an email into the sender's conversation. A failure rolls the whole poll back (cursor unchanged).
   * It may return a function to run once the transaction has committed (e.g. start the runs it
   * planned); those run in item order, and one that throws does not stop the others.
   */
  onItem?: (tx: Db, item: ConnectorItem, ctx: { eventId: string; tenantId: string; connectionId: string }) => Promise<void | (() => Promise<void>)>;
  /** Told about an after-commit function that threw (default: ignored; a start-up repair picks its work up). */
  onAfterCommitError?: (err: unknown) => void;
}

/** What one poll did. */
export interface PollOutcome {
  status: ConnectionStatus;
  /** New items stored as events. */
  inserted: number;
  /** Items already stored before (redelivered by the provider). */
  duplicates: number;
  quarantined: number;
  /** True when the provider still has items waiting after `maxRounds`. */
  more: boolean;
  /** When the poll failed: the error's kind and plain message. */
  error?: { kind: string; message: string };
  /** When the next attempt is due after a failure; null when not retried (auth) or no failure. */
  nextRetryAt: Date | null;
}

/**
 * One poll of a connection (DESIGN §7): for each polling trigger, calls `poll` with the saved
 * cursor, then in ONE transaction appends each item as an event (dedup key
 * `conn:<connectionId>:<externalId>`), records it in `connector_items`, quarantines the items the
 * connector could not parse and saves the next cursor and status. A failure before the commit
 * leaves items and cursor as they were. Errors: `auth` (or undecryptable credentials) →
 * `auth_failed`, not retried; `network`/`rate_limit`/unknown → `error` with exponential backoff
 * (or the service's Retry-After when longer); other kinds → `error`, retried after the cap.
 * A `disabled` or `auth_failed` connection is not polled.
 */
export async function runPoll(db: Db, connector: Connector<any>, connection: ConnectionRow, opts: PollOptions = {}): Promise<PollOutcome> {
  const now = opts.now ?? (() => new Date());
  const outcome: PollOutcome = { status: connection.status, inserted: 0, duplicates: 0, quarantined: 0, more: false, nextRetryAt: null };
  if (connection.status === 'disabled' || connection.status === 'auth_failed') return outcome;
  const cursors: Record<string, unknown> = { ...(connection.cursor ?? {}) };
  try {
    const box = opts.box ?? SecretBox.fromEnvironment();
    const credentials = readCredentials(box, connection);
    const ctx: ConnectorContext<any> = { tenantId: connection.tenant_id, connectionId: connection.id, credentials, signal: opts.signal, now };
    for (const trigger of connector.polling ?? []) {
      const more = await pollTrigger(db, connection, trigger, ctx, cursors, outcome, opts);
      outcome.more ||= more;
    }
    if (!connector.polling?.length) await saveStatus(db, connection.id, cursors, 0);
    outcome.status = 'ok';
    return outcome;
  } catch (err) {
    return recordFailure(db, connection, err, outcome, now(), opts.backoff ?? DEFAULT_BACKOFF);
  }
}

async function pollTrigger(
  db: Db,
  connection: ConnectionRow,
  trigger: PollingTrigger<any, any>,
  ctx: ConnectorContext<any>,
  cursors: Record<string, unknown>,
  outcome: PollOutcome,
  opts: PollOptions,
): Promise<boolean> {
  const maxRounds = opts.maxRounds ?? 20;
  for (let round = 0; round < maxRounds; round++) {
    const cursor = trigger.id in cursors ? cursors[trigger.id] : trigger.initialCursor();
    const result = await trigger.poll(ctx, cursor);
    const nextCursors = { ...cursors, [trigger.id]: result.nextCursor };
    const afterCommit: Array<() => Promise<void>> = [];
    const counts = await db.transaction().execute(async (tx) => {
      let inserted = 0;
      let duplicates = 0;
      for (const item of result.items) {
        const { event, duplicate } = await appendEvent(tx, {
          tenantId: connection.tenant_id,
          source: connection.kind,
          type: item.type,
          dedupKey: `conn:${connection.id}:${item.externalId}`,
          occurredAt: item.occurredAt,
          payload: { ...item.payload, connectionId: connection.id, externalId: item.externalId },
        });
        const row = await tx
          .insertInto('connector_items')
          .values({ tenant_id: connection.tenant_id, connection_id: connection.id, external_id: item.externalId, event_id: event.id })
          .onConflict((oc) => oc.columns(['connection_id', 'external_id']).doNothing())
          .returning('external_id')
          .executeTakeFirst();
        if (duplicate || !row) duplicates++;
        else {
          inserted++;
          if (opts.onItem) {
            const after = await opts.onItem(tx, item, { eventId: event.id, tenantId: connection.tenant_id, connectionId: connection.id });
            if (after) afterCommit.push(after);
          }
        }
      }
      for (const q of result.quarantined ?? []) {
        await quarantineItem(tx, { tenantId: connection.tenant_id, connectionId: connection.id, source: connection.kind, externalId: q.externalId, reason: q.reason, sample: q.sample });
      }
      const backlog = result.more ? Math.max(0, (result.progress?.total ?? 0) - (result.progress?.done ?? 0)) : 0;
      await saveStatus(tx, connection.id, nextCursors, backlog);
      if (opts.beforeCommit) await opts.beforeCommit(tx);
      return { inserted, duplicates, quarantined: result.quarantined?.length ?? 0 };
    });
    for (const fn of afterCommit) await fn().catch((err: unknown) => opts.onAfterCommitError?.(err));
    cursors[trigger.id] = result.nextCursor;
    outcome.inserted += counts.inserted;
    outcome.duplicates += counts.duplicates;
    outcome.quarantined += counts.quarantined;
    if (!result.more) return false;
  }
  return true;
}

async function saveStatus(db: Db, id: string, cursors: Record<string, unknown>, backlog: number): Promise<void> {
  await db
    .updateTable('connections')
    .set({ cursor: JSON.stringify(cursors), status: 'ok', last_sync_at: sql`now()`, last_error: null, failures: 0, next_retry_at: null, backlog, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('status', 'not in', ['disabled', 'auth_failed'])
    .execute();
}

function plain(err: unknown): string {
  if (err instanceof AiosError) return err.fix ? `${err.message}. ${err.fix}` : err.message;
  return err instanceof Error ? err.message : String(err);
}

async function recordFailure(db: Db, connection: ConnectionRow, err: unknown, outcome: PollOutcome, at: Date, policy: BackoffPolicy): Promise<PollOutcome> {
  const kind = err instanceof ConnectorError ? err.kind : err instanceof SecretDecryptError ? 'auth' : 'internal';
  const failures = connection.failures + 1;
  let status: ConnectionStatus = 'error';
  let nextRetryAt: Date | null = null;
  let message: string;
  if (kind === 'auth') {
    status = 'auth_failed';
    message = err instanceof SecretDecryptError ? `cannot open the saved credentials: ${plain(err)}` : `${connection.kind} refused the credentials: ${plain(err)}`;
    if (!(err instanceof AiosError && err.fix)) message += '. Update the credentials to resume.';
  } else {
    let delay = isRetryable(err) ? backoffDelayMs(failures, policy) : policy.capMs;
    if (err instanceof ConnectorError && err.retryAfterSeconds !== null) delay = Math.min(policy.capMs, Math.max(delay, err.retryAfterSeconds * 1000));
    nextRetryAt = new Date(at.getTime() + delay);
    const what = kind === 'network' ? 'could not reach the service' : kind === 'rate_limit' ? 'the service asked us to slow down' : 'the poll failed';
    message = `${what}: ${plain(err)} (attempt ${failures}; next try at ${nextRetryAt.toISOString()})`;
  }
  await db
    .updateTable('connections')
    .set({ status, last_error: message, failures, next_retry_at: nextRetryAt, updated_at: sql`now()` })
    .where('id', '=', connection.id)
    .where('status', '!=', 'disabled')
    .execute();
  return { ...outcome, status, error: { kind, message }, nextRetryAt };
}
