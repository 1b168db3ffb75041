import { describe, it, expect, afterAll } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireInstanceLock, processStartTime, type LockHolder } from './instance-lock.js';
import { AiosError } from '../core/errors.js';

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});
const newHome = () => {
  const h = mkdtempSync(join(tmpdir(), 'aios-lock-'));
  homes.push(h);
  return h;
};
const lockPath = (home: string) => join(home, 'aios.lock');
const holderIn = (home: string) => JSON.parse(readFileSync(lockPath(home), 'utf8')) as LockHolder;
const writeLock = (home: string, over: Partial<LockHolder>) =>
  writeFileSync(lockPath(home), JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(), procStart: processStartTime(process.pid), nonce: 'other', ...over }));

/** A pid that existed and has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

async function refusal(home: string): Promise<AiosError> {
  const err = await acquireInstanceLock(home).then((l) => (l.release(), null), (e: unknown) => e);
  expect(err).toBeInstanceOf(AiosError);
  return err as AiosError;
}

describe('instance lock', () => {
  it('is created with the pid, host and start time of this process, and removed on release', async () => {
    const home = newHome();
    const lock = await acquireInstanceLock(home);
    expect(holderIn(home)).toMatchObject({ pid: process.pid, hostname: hostname(), procStart: processStartTime(process.pid) });
    lock.release();
    expect(existsSync(lockPath(home))).toBe(false);
  });

  it('refuses while its holder lives, with the pid and the address from runtime.json', async () => {
    const home = newHome();
    const lock = await acquireInstanceLock(home);
    expect((await refusal(home)).message).toBe(`AIOS is already running for AIOS_HOME=${home} (pid ${process.pid}, starting)`);
    writeFileSync(join(home, 'runtime.json'), JSON.stringify({ pid: process.pid, url: 'http://127.0.0.1:4400' }));
    const err = await refusal(home);
    expect(err.code).toBe('already_running');
    expect(err.message).toContain(`(pid ${process.pid}, http://127.0.0.1:4400)`);
    expect(err.fix).toBe(`Stop it first (kill ${process.pid}), or use another AIOS_HOME.`);
    lock.release();
  });

  it('takes over the lock of a dead process (kill -9)', async () => {
    const home = newHome();
    writeLock(home, { pid: deadPid() });
    const lock = await acquireInstanceLock(home);
    expect(holderIn(home).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over when the pid is alive but belongs to another process (pid reused: other start time)', async () => {
    if (processStartTime(process.pid) === null) return; // no /proc on this system
    const home = newHome();
    writeLock(home, { procStart: '1' });
    const lock = await acquireInstanceLock(home);
    expect(holderIn(home).nonce).toBe(lock.holder.nonce);
    lock.release();
  });

  it('takes over an unreadable lock file', async () => {
    const home = newHome();
    writeFileSync(lockPath(home), '{ not json');
    (await acquireInstanceLock(home)).release();
  });

  it('a lock from another host is live only if its address answers /health', async () => {
    const home = newHome();
    const server: Server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      writeLock(home, { hostname: 'elsewhere', pid: 4242 });
      writeFileSync(join(home, 'runtime.json'), JSON.stringify({ pid: 4242, url: `http://127.0.0.1:${port}` }));
      expect((await refusal(home)).message).toContain('(pid 4242 on elsewhere, http://127.0.0.1:');
    } finally {
      await new Promise((r) => server.close(r));
    }
    (await acquireInstanceLock(home, { healthTimeoutMs: 300 })).release();
  });

  it('release leaves a lock that another process holds', async () => {
    const home = newHome();
    const lock = await acquireInstanceLock(home);
    writeLock(home, { nonce: 'someone-else' });
    lock.release();
    expect(holderIn(home).nonce).toBe('someone-else');
  });

  it('of several processes racing for a stale lock, exactly one wins', async () => {
    const home = newHome();
    writeLock(home, { pid: deadPid() });
    const racer = resolve(import.meta.dirname, '../../test/support/lock-racer.ts');
    const at = String(Date.now() + 4000);
    const run = () => new Promise<string>((done) => {
      let out = '';
      const p = spawn(process.execPath, ['--import', 'tsx', racer, home, at], { stdio: ['ignore', 'pipe', 'inherit'] });
      p.stdout.on('data', (d) => (out += d));
      p.on('exit', () => done(out.trim()));
    });
    const results = await Promise.all([run(), run(), run()]);
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'refused already_running')).toHaveLength(2);
  }, 60_000);
});
