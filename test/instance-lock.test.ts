import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startAios } from '../src/server/runtime.js';
import { loadConfig } from '../src/core/config.js';
import { AiosError } from '../src/core/errors.js';
import { startHarness, makeHome, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN, type Harness } from './support/harness.js';
import { startChild, type ChildAios } from './support/child-aios.js';

/**
 * One AIOS per AIOS_HOME. A second start on a home whose instance is alive refuses before it
 * touches PostgreSQL, so the running instance keeps its database and its runtime.json; a dead
 * instance (kill -9) is taken over and its orphaned PostgreSQL stopped.
 */
const TENANT = { slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY };
const harnesses: Harness[] = [];
const children: ChildAios[] = [];
const homes: string[] = [];
afterAll(async () => {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) {
    c.proc.kill('SIGTERM');
    await c.exited;
  }
  for (const h of harnesses) await h.stop();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe('a second start on the same AIOS_HOME', () => {
  it('refuses while the first is alive (external database), naming its pid and address; the first keeps answering', async () => {
    const h = await startHarness([TENANT]);
    harnesses.push(h);
    const runtime = readFileSync(join(h.home, 'runtime.json'), 'utf8');
    const config = loadConfig({ AIOS_HOME: h.home, AIOS_PORT: '0', DATABASE_URL: h.tdb.url });
    const err = await startAios({ config, demo: false, env: {} }).then(async (second) => {
      await second.stop();
      return null;
    }, (e: unknown) => e);
    expect(err).toBeInstanceOf(AiosError);
    expect((err as AiosError).code).toBe('already_running');
    expect((err as AiosError).message).toBe(`AIOS is already running for AIOS_HOME=${h.home} (pid ${process.pid}, ${h.aios.url})`);
    expect((err as AiosError).fix).toBe(`Stop it first (kill ${process.pid}), or use another AIOS_HOME.`);
    expect(readFileSync(join(h.home, 'runtime.json'), 'utf8')).toBe(runtime);
    const status = await h.api(h.aios.cliTokens.get('acme')!, 'GET', '/api/v1/status');
    expect(status.status).toBe(200);

    await h.aios.stop();
    expect(existsSync(join(h.home, 'aios.lock'))).toBe(false);
  });

  it('with the embedded PostgreSQL: refuses without stopping the first one\'s database; after kill -9 of the first the next start works', async () => {
    const home = makeHome([TENANT]);
    homes.push(home);
    const env = { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: 'http://127.0.0.1:9' };
    const first = await startChild(home, env);
    children.push(first);
    const runtime = readFileSync(join(home, 'runtime.json'), 'utf8');
    const status = (c: ChildAios) => fetch(`${c.url}/api/v1/status`, { headers: { authorization: `Bearer ${c.token('acme')}` } }).then((r) => r.status);

    const refused = await startChild(home, env).then((c) => {
      children.push(c);
      return '';
    }, (e: Error) => e.message);
    expect(refused).toContain(`AIOS is already running for AIOS_HOME=${home} (pid ${first.proc.pid}, ${first.url})`);
    expect(refused).toContain(`kill ${first.proc.pid}`);
    expect(await status(first)).toBe(200);
    expect(readFileSync(join(home, 'runtime.json'), 'utf8')).toBe(runtime);

    first.proc.kill('SIGKILL');
    await first.exited;
    const next = await startChild(home, env);
    children.push(next);
    expect(await status(next)).toBe(200);
    next.proc.kill('SIGTERM');
    const exit = await next.exited;
    if (exit.code !== 0) console.log(next.output());
    expect(exit.code).toBe(0);
    expect(existsSync(join(home, 'aios.lock'))).toBe(false);
  }, 120_000);
});
