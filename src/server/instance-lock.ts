/**
 * One AIOS per AIOS_HOME. `AIOS_HOME/aios.lock` names the process that owns the home (pid,
 * hostname, start time). It is created atomically (a complete temporary file hard-linked into
 * place, which fails if the lock exists); a lock whose process is gone is taken over, and only then
 * may start-up stop a PostgreSQL left behind by that dead process.
 *
 * Liveness: the pid answers signal 0 AND, where `/proc` exists, its kernel start time is the one
 * recorded (so a pid reused after a reboot or in a restarted container is not mistaken for AIOS).
 * A lock written on another host cannot be checked by pid: the address in `runtime.json` is asked
 * instead (`/health`).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, closeSync, fsyncSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AiosError } from '../core/errors.js';
import { homePaths } from '../core/config.js';
import type { Logger } from '../core/logger.js';

/** What the lock file holds. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** When the process took the lock (ISO 8601). */
  startedAt: string;
  /** The process's start time from /proc/<pid>/stat (clock ticks since boot), null without /proc. */
  procStart: string | null;
  /** Random per acquisition: a release only removes its own lock. */
  nonce: string;
}

/** A held lock. */
export interface InstanceLock {
  path: string;
  holder: LockHolder;
  /** Removes the lock file if it is still this process's. Idempotent. */
  release(): void;
}

/** Options of {@link acquireInstanceLock}. */
export interface LockOptions {
  log?: Logger;
  /** How long to wait for another host's `/health`, milliseconds (default 1000). */
  healthTimeoutMs?: number;
}

/** The start time of `pid` in clock ticks since boot (field 22 of /proc/<pid>/stat), or null. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: count after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (!Number.isInteger(h.pid) || (h.pid ?? 0) <= 0 || typeof h.hostname !== 'string' || typeof h.nonce !== 'string') return null;
    return { pid: h.pid!, hostname: h.hostname, startedAt: String(h.startedAt ?? ''), procStart: h.procStart ?? null, nonce: h.nonce };
  } catch {
    return null;
  }
}

function runtimeUrl(home: string, pid: number): string | null {
  try {
    const rt = JSON.parse(readFileSync(join(home, 'runtime.json'), 'utf8')) as { pid?: number; url?: string };
    return rt.pid === pid && typeof rt.url === 'string' ? rt.url : null;
  } catch {
    return null;
  }
}

/** Whether the process recorded in the lock is still the AIOS that wrote it. */
async function isAlive(holder: LockHolder, home: string, opts: LockOptions): Promise<boolean> {
  if (holder.hostname !== hostname()) {
    const url = runtimeUrl(home, holder.pid);
    if (!url) return false;
    return fetch(`${url}/health`, { signal: AbortSignal.timeout(opts.healthTimeoutMs ?? 1000) }).then((r) => r.ok, () => false);
  }
  if (!pidExists(holder.pid)) return false;
  const now = processStartTime(holder.pid);
  if (now !== null && holder.procStart !== null) return now === holder.procStart;
  return true; // no /proc: a live pid is trusted
}

/** Puts `text` at `path` only if nothing is there; false when something is. */
function createExclusive(path: string, text: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path); // atomic, and the file is complete when it appears
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    // A file system without hard links: exclusive create, then write.
    try {
      writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Takes `AIOS_HOME/aios.lock` for this process. Call before touching the database.
 * @throws AiosError `already_running` when a live AIOS holds the home (its pid and address in the
 *   message), `lock_contended` when the lock keeps changing hands (another start racing).
 */
export async function acquireInstanceLock(home: string, opts: LockOptions = {}): Promise<InstanceLock> {
  const path = homePaths(home).lock;
  const holder: LockHolder = {
    pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString(),
    procStart: processStartTime(process.pid), nonce: randomBytes(12).toString('hex'),
  };
  const text = JSON.stringify(holder, null, 2) + '\n';
  for (let attempt = 0; attempt < 10; attempt++) {
    if (createExclusive(path, text)) return { path, holder, release: () => releaseLock(path, holder.nonce) };
    const seen = readOrNull(path);
    if (seen === null) continue; // released meanwhile
    const other = parseHolder(seen);
    if (other && (await isAlive(other, home, opts))) {
      const url = runtimeUrl(home, other.pid);
      const where = other.hostname === holder.hostname ? '' : ` on ${other.hostname}`;
      throw new AiosError('already_running', `AIOS is already running for AIOS_HOME=${home} (pid ${other.pid}${where}, ${url ?? 'starting'})`, {
        fix: `Stop it first (kill ${other.pid}), or use another AIOS_HOME.`,
      });
    }
    // Dead (or unreadable) holder: move its lock aside, then make sure it was the one we judged.
    const grave = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
    try {
      renameSync(path, grave);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const moved = readOrNull(grave);
    if (moved !== seen) {
      // Another start replaced the stale lock between our read and our rename: put its lock back.
      // (Limit: a third start creating a lock in this sub-millisecond gap would also win.)
      try {
        linkSync(grave, path);
      } catch {
        /* EEXIST: see above */
      }
      rmSync(grave, { force: true });
      continue;
    }
    rmSync(grave, { force: true });
    opts.log?.warn({ stalePid: other?.pid ?? null }, 'taking over the lock of an AIOS that is no longer running');
  }
  throw new AiosError('lock_contended', `could not take ${path}: other AIOS processes are starting on the same AIOS_HOME`, {
    fix: 'Start one AIOS per AIOS_HOME; try again once the others have started or stopped.',
  });
}

function releaseLock(path: string, nonce: string): void {
  if (!existsSync(path)) return;
  const holder = parseHolder(readOrNull(path) ?? '');
  if (holder?.nonce === nonce) rmSync(path, { force: true });
}
