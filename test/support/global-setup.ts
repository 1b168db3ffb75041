import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import type { TestProject } from 'vitest/node';

let child: ChildProcess | undefined;
let dir: string | undefined;

/**
 * One embedded PostgreSQL for the whole test run (about 1.5 s to start), in a child process (see
 * `pg-server.ts` for why). Each test file creates its own database in it (see `test-db.ts`), so
 * files run in parallel without sharing rows.
 */
export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'aios-test-pg-'));
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  const script = resolve(import.meta.dirname, 'pg-server.ts');
  child = spawn(process.execPath, ['--import', 'tsx', script, join(dir, 'pg')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child!.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) ok((JSON.parse(line) as { url: string }).url);
    });
    child!.once('exit', (code) => fail(new Error(`test PostgreSQL exited (code ${code}) before it was ready`)));
  });
  project.provide('pgAdminUrl', url);
}

export async function teardown(): Promise<void> {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
