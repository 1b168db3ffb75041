import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** AIOS started as a separate process with `aios start`, exactly as a user runs it. */
export interface ChildAios {
  proc: ChildProcess;
  url: string;
  token: (slug: string) => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

/** Starts `node bin/aios.mjs start` (plus `args`, e.g. `--no-work`) with `env`, waits until /health answers (or the process dies). */
export async function startChild(home: string, env: Record<string, string>, timeoutMs = 60_000, nodeArgs: string[] = [], args: string[] = []): Promise<ChildAios> {
  const runtimeFile = join(home, 'runtime.json');
  const before = existsSync(runtimeFile) ? readFileSync(runtimeFile, 'utf8') : '';
  let out = '';
  const proc = spawn(process.execPath, [...nodeArgs, join(ROOT, 'bin/aios.mjs'), 'start', ...args], {
    cwd: ROOT,
    env: { ...process.env, AIOS_HOME: home, AIOS_PORT: '0', AIOS_LOG_LEVEL: 'warn', VITEST: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => proc.on('exit', (code, signal) => r({ code, signal })));
  let dead = false;
  void exited.then(() => (dead = true));
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (dead) throw new Error(`aios exited during start:\n${out}`);
    if (existsSync(runtimeFile)) {
      const text = readFileSync(runtimeFile, 'utf8');
      const rt = parseRuntime(text);
      if (rt && text !== before && rt.pid === proc.pid) {
        const ok = await fetch(`${rt.url}/health`).then((r) => r.ok).catch(() => false);
        if (ok) {
          return { proc, url: rt.url, exited, output: () => out, token: (slug) => readFileSync(join(home, 'cli-tokens', slug), 'utf8').trim() };
        }
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error(`aios did not become healthy within ${timeoutMs} ms:\n${out}`);
}

/** runtime.json as the child wrote it, or null while it is absent or not yet whole. */
function parseRuntime(text: string): { url: string; pid: number } | null {
  try {
    return JSON.parse(text) as { url: string; pid: number };
  } catch {
    return null;
  }
}

/**
 * For a test file that starts AIOS child processes: the lists it fills, and an `afterAll` that
 * stops every child still running (SIGTERM), closes `sink` and removes every home.
 */
export function cleanUpChildrenAfterAll(sink: { close(): Promise<void> }): { homes: string[]; children: ChildAios[] } {
  const homes: string[] = [];
  const children: ChildAios[] = [];
  afterAll(async () => {
    for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) {
      c.proc.kill('SIGTERM');
      await c.exited;
    }
    await sink.close();
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  });
  return { homes, children };
}
