import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn } from 'node:child_process';

/**
 * An embedded PostgreSQL in a child process (`pg-server.ts`) for scripts outside vitest, such as
 * benchmarks that use the test harness. Sets `AIOS_TEST_PG_ADMIN_URL` so `createTestDatabase`
 * finds it. `stop()` ends the child and removes its data folder.
 */
export async function startTestPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-pg-'));
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'pg-server.ts'), join(dir, 'pg')], { stdio: ['pipe', 'pipe', 'inherit'] });
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
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
