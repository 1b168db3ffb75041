import { describe, it, expect, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createTestDatabase, insertTenant } from '../../../test/support/test-db.js';
import type { Connector, PollResult } from './connector.js';
import { ConnectorError } from './connector-error.js';
import { SecretBox } from './secret-box.js';
import { createConnection, getConnection, listConnections, readCredentials, updateCredentials } from './connections.js';
import { listQuarantine } from './quarantine.js';
import { backoffDelayMs, runPoll } from './poll-engine.js';
import { Poller, type PollerTimers } from './poller.js';

const t = await createTestDatabase();
afterAll(() => t.close());
const tid = await insertTenant(t.db, 'pollco', '+14165550100');
const box = new SecretBox(randomBytes(32));

type Cursor = { n: number };
/** A fake connector: `script` decides what each poll returns or throws. */
function fake(script: (cursor: Cursor, call: number) => PollResult<Cursor> | Error): Connector<{ user: string }> & { calls: number } {
  const c = {
    kind: 'fake',
    title: 'Fake',
    calls: 0,
    credentials: z.object({ user: z.string() }),
    validate: async () => {},
    polling: [
      {
        id: 'main',
        initialCursor: () => ({ n: 0 }),
        poll: async (_ctx: unknown, cursor: Cursor) => {
          const r = script(cursor, c.calls++);
          if (r instanceof Error) throw r;
          return r;
        },
      },
    ],
  };
  return c;
}
const items = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ externalId: `m${from + i}`, type: 'email.received', occurredAt: new Date('2025-01-01T00:00:00Z'), payload: { i: from + i } }));
const eventCount = async (conn: string) =>
  Number((await t.db.selectFrom('events').select((e) => e.fn.countAll().as('n')).where('dedup_key', 'like', `conn:${conn}:%`).executeTakeFirstOrThrow()).n);

describe('connections', () => {
  it('stores credentials encrypted and never lists them', async () => {
    const c = fake(() => ({ items: [], nextCursor: { n: 0 } }));
    const row = await createConnection(t.db, box, { tenantId: tid, kind: 'fake', name: 'creds', credentials: { user: 'ann@example.com' }, connector: c });
    expect(row.credentials_encrypted).not.toContain('ann@example.com');
    expect(readCredentials(box, row)).toEqual({ user: 'ann@example.com' });
    expect(row.cursor).toEqual({ main: { n: 0 } });
    const listed = (await listConnections(t.db, tid)).find((r) => r.id === row.id)!;
    expect(listed).not.toHaveProperty('credentials_encrypted');
    expect(listed.has_credentials).toBe(true);
    await expect(createConnection(t.db, box, { tenantId: tid, kind: 'fake', name: 'bad', credentials: { user: 3 }, connector: c })).rejects.toThrow(/user/);
  });
});

describe('runPoll', () => {
  it('saves items and cursor together; a re-poll adds no duplicates', async () => {
    const c = fake((cur) => ({ items: items(0, 3), nextCursor: { n: cur.n + 3 } }));
    const conn = await createConnection(t.db, box, { tenantId: tid, kind: 'fake', name: 'a', credentials: { user: 'u' }, connector: c });
    const first = await runPoll(t.db, c, conn, { box });
    expect(first).toMatchObject({ status: 'ok', inserted: 3, duplicates: 0 });
    const after = await getConnection(t.db, tid, conn.id);
    expect(after.cursor).toEqual({ main: { n: 3 } });
    expect(after.last_sync_at).not.toBeNull();
    const second = await runPoll(t.db, c, after, { box });
    expect(second).toMatchObject({ inserted: 0, duplicates: 3 });
    expect(await eventCount(conn.id)).toBe(3);
    const ci = await t.db.selectFrom('connector_items').selectAll().where('connection_id', '=', conn.id).execute();
    expect(ci).toHaveLength(3);
    expect(ci.every((r) => r.event_id)).toBe(true);
  });

  it("onItem's after-commit work runs once the items are committed, in order; one that throws stops nothing", async () => {
    const c = fake((cur) => ({ items: items(20, 23), nextCursor: { n: cur.n + 3 } }));
    const conn = await createConnection(t.db, box, { tenantId: tid, kind: 'fake', name: 'after', credentials: { user: 'u' }, connector: c });
    const seen: Array<[string, number]> = [];
    const errors: unknown[] = [];
    const out = await runPoll(t.db, c, conn, {
      box,
      onAfterCommitError: (err) => errors.push(err),
      onItem: async (_tx, item, ctx) => async () => {
        // Visible from another connection: the poll's transaction has committed.
        const ev = await t.db.selectFrom('events').select('id').where('id', '=', ctx.eventId).executeTakeFirst();
        seen.push([item.externalId, ev ? 1 : 0]);
        if (item.externalId === 'm21') throw new Error('start failed');
      },
    });
    expect(out).toMatchObject({ status: 'ok', inserted: 3 });
    expect(seen).toEqual([['m20', 1], ['m21', 1], ['m22', 1]]);
    expect(errors).toHaveLength(1);
  });

  it('a failure mid-transaction saves nothing and leaves the cursor unchanged', async () => {
    const c = fake((cur) => ({ items: items(10, 14), nextCursor: { n: cur.n + 4 } }));
    const conn = await createConnection(t.db, box, { tenantId: tid, kind: 'fake', name: 'crash', credentials: { user: 'u' }, connector: c });
    const out = await runPoll(t.db, c, conn, {
      box,
      beforeCommit: async () => {
        throw new Error('disk full');
      },
    });
    expect(out.status).toBe('error');
    expect(await eventCount(conn.id)).toBe(0);
    expect(await t.db.selectFrom('connector_items').selectAll().where('connection_id', '=', conn.id).execute()).toHaveLength(0);
    const after = await getConnection(t.db, tid, conn.id);
    expect(after.cursor).toEqual({ main: { n: 0 } });
    expect(after.last_error).toMatch(/disk full/);
    // The next poll (after backoff) picks the same items up.
    const retry = await runPoll(t.db, c, after, { box });
    expect(retry).toMatchObject({ status: 'ok', inserted: 4 });
    expect((await getConnection(t.db, tid, conn.id)).cursor).toEqual({ main: { n: 4 } });
  });

  it('drains `more` in rounds and records the backlog', async () => {
    const c = fake((cur) => ({ items: items(100 + cur.n, 102 + cur.n), nextCursor: { n: cur.n + 2 }, more: cur.n < 4, progress: { done: cur.n + 2, total: 10 } }));
    const conn = await createConnection(t.db, box, { tenantId: tid, kind: 'fake', name: 'more', credentials: { user: 'u' }, connector: c });
    const out = await runPoll(t.db, c, conn, { box, maxRounds: 2 });
    expect(out).toMatchObject({ inserted: 4, more: true });
    expect((await getConnection(t.db, tid, conn.id)).backlog).toBe(6);
    const out2 = await runPoll(t.db, c, await getConnection(t.db, tid, conn.id), { box });
    expect(out2).toMatchObject({ inserted: 2, more: false });
    expect((await getConnection(t.db, tid, conn.id)).backlog).toBe(0);
  });

  it('quarantined items are stored with their reason while the rest continue', async () => {
    const c = fake(() => ({ items: items(200, 201), quarantined: [{ externalId: 'bad-1', reason: 'MIME structure is broken', sample: 'Content-Type: multipart/mixed; boundary=' }], nextCursor: { n: 1 } }));
    const conn = await createConnection(t.db, box, { tenantId: tid, kind: 'fake', name: 'q', credentials: { user: 'u' }, connector: c });
    const out = await runPoll(t.db, c, conn, { box });
    expect(out).toMatchObject({ inserted: 1, quarantined: 1 });
    const q = (await listQuarantine(t.db, tid)).find((r) => r.connection_id === conn.id);
    expect(q).toMatchObject({ external_id: 'bad-1', reason: 'MIME structure is broken', source: 'fake' });
  });

  it('an auth error sets auth_failed and is not retried until the credentials change', async () => {
    const c = fake(() => new ConnectorError('auth', 'IMAP login rejected for u', { fix: 'Check the app password.' }));
    const conn = await createConnection(t.db, box, { tenantId: tid, kind: 'fake', name: 'auth', credentials: { user: 'u' }, connector: c });
    const out = await runPoll(t.db, c, conn, { box });
    expect(out).toMatchObject({ status: 'auth_failed', nextRetryAt: null });
    const row = await getConnection(t.db, tid, conn.id);
    expect(row.status).toBe('auth_failed');
    expect(row.last_error).toMatch(/login rejected.*app password/);
    expect(await runPoll(t.db, c, row, { box })).toMatchObject({ status: 'auth_failed' });
    expect(c.calls).toBe(1);
    await updateCredentials(t.db, box, tid, conn.id, { user: 'v' }, c);
    expect((await getConnection(t.db, tid, conn.id)).status).toBe('ok');
  });

  it('network errors back off exponentially up to the cap', async () => {
    const policy = { baseMs: 1000, capMs: 5000 };
    expect([1, 2, 3, 4, 10].map((f) => backoffDelayMs(f, policy))).toEqual([1000, 2000, 4000, 5000, 5000]);
    const c = fake(() => new ConnectorError('network', 'connect ECONNREFUSED imap.example.com:993'));
    const conn = await createConnection(t.db, box, { tenantId: tid, kind: 'fake', name: 'net', credentials: { user: 'u' }, connector: c });
    const now = new Date('2025-03-01T12:00:00Z');
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const out = await runPoll(t.db, c, await getConnection(t.db, tid, conn.id), { box, backoff: policy, now: () => now });
      expect(out.status).toBe('error');
      delays.push(out.nextRetryAt!.getTime() - now.getTime());
    }
    expect(delays).toEqual([1000, 2000, 4000, 5000]);
    const row = await getConnection(t.db, tid, conn.id);
    expect(row).toMatchObject({ status: 'error', failures: 4 });
    expect(row.last_error).toMatch(/could not reach the service: connect ECONNREFUSED.*next try at 2025-03-01T12:00:05/);
    const rl = fake(() => new ConnectorError('rate_limit', 'HTTP 429', { retryAfterSeconds: 3 }));
    const conn2 = await createConnection(t.db, box, { tenantId: tid, kind: 'fake', name: 'rl', credentials: { user: 'u' }, connector: rl });
    const out = await runPoll(t.db, rl, conn2, { box, backoff: policy, now: () => now });
    expect(out.nextRetryAt!.getTime() - now.getTime()).toBe(3000);
  });

  it('credentials sealed with another key count as an auth failure', async () => {
    const c = fake(() => ({ items: [], nextCursor: { n: 0 } }));
    const conn = await createConnection(t.db, new SecretBox(randomBytes(32)), { tenantId: tid, kind: 'fake', name: 'key', credentials: { user: 'u' }, connector: c });
    const out = await runPoll(t.db, c, conn, { box });
    expect(out.status).toBe('auth_failed');
    expect(out.error!.message).toMatch(/cannot open the saved credentials/);
  });
});

describe('Poller', () => {
  function manualTimers() {
    const pending = new Map<number, { fn: () => void; ms: number }>();
    let next = 1;
    const timers: PollerTimers = {
      setTimeout: (fn, ms) => (pending.set(next, { fn, ms }), next++),
      clearTimeout: (h) => void pending.delete(h as number),
    };
    return { timers, pending, fireAll: () => { const all = [...pending.values()]; pending.clear(); all.forEach((p) => p.fn()); } };
  }

  it('polls, reschedules by interval, backs off on network errors and stops on auth errors', async () => {
    let mode: 'ok' | 'net' | 'auth' = 'ok';
    const c = fake((cur) => (mode === 'net' ? new ConnectorError('network', 'timeout') : mode === 'auth' ? new ConnectorError('auth', 'bad password') : { items: items(300 + cur.n, 301 + cur.n), nextCursor: { n: cur.n + 1 } }));
    c.kind = 'fake-poller';
    const conn = await createConnection(t.db, box, { tenantId: tid, kind: 'fake-poller', name: 'p', credentials: { user: 'u' }, connector: c });
    const now = new Date('2025-03-01T00:00:00Z');
    const m = manualTimers();
    const poller = new Poller({ db: t.db, connectors: [c], box, intervalMs: 60_000, backoff: { baseMs: 1000, capMs: 8000 }, now: () => now, timers: m.timers });
    await poller.start(tid);
    expect([...m.pending.values()].map((p) => p.ms)).toEqual([0]);
    m.fireAll();
    await poller.idle();
    expect(await eventCount(conn.id)).toBe(1);
    expect([...m.pending.values()].map((p) => p.ms)).toEqual([60_000]);
    mode = 'net';
    m.fireAll();
    await poller.idle();
    expect([...m.pending.values()].map((p) => p.ms)).toEqual([1000]);
    m.fireAll();
    await poller.idle();
    expect([...m.pending.values()].map((p) => p.ms)).toEqual([2000]);
    mode = 'auth';
    m.fireAll();
    await poller.idle();
    expect(m.pending.size).toBe(0);
    expect((await getConnection(t.db, tid, conn.id)).status).toBe('auth_failed');
    await poller.stop();
  });
});
