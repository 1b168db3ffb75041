import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { sql } from 'kysely';
import { startHarness, AUTO_POLICY, type Harness } from './support/harness.js';
import { ExecutorPresence, type PresenceOptions } from '../src/autonomy/engine/executor-presence.js';
import { createLogger } from '../src/core/logger.js';

/**
 * Heartbeat rows and the claim of dead peers, against a real AIOS (DBOS launched, so DBOS's own
 * recovery runs on the claimed executors). The process-level behaviour (SIGKILL, runs resumed on
 * a survivor) is test/e2e/workers.test.ts.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
});
afterAll(async () => h?.stop());

const presence = (id: string, over: Partial<PresenceOptions> = {}) =>
  new ExecutorPresence({ db: h.aios.db, log: createLogger('test'), executorId: id, role: 'worker', appVersion: 'aios-runtime-1', heartbeatMs: 100, failoverAfterMs: 30_000, checkUnique: true, onFenced: () => undefined, ...over });
const row = (id: string) => h.aios.db.selectFrom('executor_heartbeats').selectAll().where('executor_id', '=', id).executeTakeFirstOrThrow();

describe('executor presence', () => {
  it('the running AIOS has a live row of its own', async () => {
    const rows = await h.aios.db.selectFrom('executor_heartbeats').selectAll().execute();
    expect(rows).toEqual([expect.objectContaining({ role: 'all', status: 'alive', app_version: 'aios-runtime-1', pid: process.pid })]);
  });

  it('refuses a second live process under the same id, saying what to do', async () => {
    const first = presence('dup-1');
    await first.register();
    await expect(presence('dup-1').register()).rejects.toThrow(/executor id "dup-1" is in use by a running AIOS.*/);
    await first.stop();
    expect((await row('dup-1')).status).toBe('stopped');
  });

  it('exactly one of two survivors claims a stale peer, once per application version', async () => {
    await h.aios.db.insertInto('executor_heartbeats').values({ executor_id: 'gone', role: 'worker', app_version: 'aios-runtime-1', host: 'x', pid: 1, token: 't', status: 'alive', beat_at: sql`now() - interval '1 minute'` }).execute();
    const s1 = presence('survivor-1');
    const s2 = presence('survivor-2');
    await s1.register();
    await s2.register();
    const [a, b] = await Promise.all([s1.failover(), s2.failover()]);
    const claims = [...a, ...b].filter((t) => t.executorId === 'gone');
    expect(claims).toEqual([expect.objectContaining({ reason: 'stale', recovered: 0 })]);
    expect(await row('gone')).toMatchObject({ status: 'dead', recovered_versions: ['aios-runtime-1'] });
    expect(['survivor-1', 'survivor-2']).toContain((await row('gone')).claimed_by);
    expect((await s1.failover()).filter((t) => t.executorId === 'gone')).toEqual([]);
    // A process of another version claims it for its own version.
    const other = presence('survivor-v2', { appVersion: 'v2' });
    await other.register();
    expect((await other.failover()).map((t) => t.executorId)).toContain('gone');
    expect((await row('gone')).recovered_versions).toEqual(['aios-runtime-1', 'v2']);
    for (const p of [s1, s2, other]) await p.stop();
  });

  it('a live peer is not claimed; a process whose row was claimed while alive is fenced', async () => {
    const live = presence('live');
    const fenced: Array<string | null> = [];
    const victim = presence('victim', { onFenced: (by) => fenced.push(by) });
    await live.register();
    await victim.register();
    expect((await live.failover()).map((t) => t.executorId)).not.toContain('victim');
    await h.aios.db.updateTable('executor_heartbeats').set({ beat_at: sql`now() - interval '1 minute'` }).where('executor_id', '=', 'victim').execute();
    expect((await live.failover()).map((t) => t.executorId)).toContain('victim');
    await victim.tick();
    await new Promise((r) => setTimeout(r, 200));
    expect(fenced).toEqual(['live']);
    await live.stop();
    await victim.stop();
  });
});
