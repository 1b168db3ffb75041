import { loadConfig, homePaths, type AiosConfig } from '../core/config.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/logger.js';
import { AiosError } from '../core/errors.js';
import { openDb, migrate, checkReachable } from '../store/db.js';
import { prepareAppDatabase } from '../store/app-role.js';
import { ALL_PLAYBOOKS } from '../autonomy/playbooks/index.js';
import type { Playbook } from '../autonomy/engine/define-playbook.js';
import { TenantRegistry } from './tenant-registry.js';
import { watchTenantConfig } from './config-watch.js';
import { SecretBox } from '../connection/framework/secret-box.js';
import { setOutboundPolicy } from '../connection/framework/address-policy.js';
import { launchEngine, type Engine } from './engine-startup.js';

/** A running `aios worker`: executes queued runs, beats, takes over dead peers. No HTTP. */
export interface AiosWorker {
  config: AiosConfig;
  engine: Engine;
  log: Logger;
  stop(): Promise<void>;
}

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  config?: AiosConfig;
  log?: Logger;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  extraPlaybooks?: Playbook[];
  /** Called when peers took this process for dead (default: exit with code 75). */
  onFenced?: (by: string | null) => void;
}

/**
 * Starts a worker on the database of the process that serves HTTP (`DATABASE_URL`, shared). It
 * reads the same tenant folders and secret key (same AIOS_HOME, or a copy plus AIOS_SECRET_KEY),
 * takes no instance lock and writes no runtime.json: any number of workers may share a home.
 * Repairs at start (orphaned runs, undelivered decisions) stay with the HTTP process.
 */
export async function startWorker(opts: WorkerOptions = {}): Promise<AiosWorker> {
  const config = opts.config ?? loadConfig();
  const log = opts.log ?? createLogger();
  const clock = opts.clock ?? systemClock;
  const env = opts.env ?? process.env;
  if (!config.databaseUrl && !config.databaseAdminUrl) {
    throw new AiosError('worker_needs_database', 'aios worker needs the PostgreSQL that the HTTP process uses, and DATABASE_URL is not set', {
      fix: 'Run PostgreSQL as a server of its own and set DATABASE_URL (the same value) for `aios start` and every `aios worker`; the embedded database belongs to a single `aios start`.',
    });
  }
  setOutboundPolicy(config.network);
  const url = config.databaseAdminUrl
    ? await prepareAppDatabase({ adminUrl: config.databaseAdminUrl, appUrl: config.databaseUrl, home: config.home, log, embedded: false })
    : config.databaseUrl!;
  const { db, pool } = openDb(url, config.work.dbPoolSize, { prepared: config.work.preparedStatements });
  const cleanup: Array<() => Promise<void>> = [];
  try {
    await checkReachable(pool, url);
    if (!config.databaseAdminUrl) await migrate(db);
    const playbooks = [...ALL_PLAYBOOKS, ...(opts.extraPlaybooks ?? [])];
    const tenants = await TenantRegistry.load(db, homePaths(config.home).tenants, playbooks, { log });
    if (env.AIOS_CONFIG_WATCH !== '0') cleanup.push(await watchTenantConfig(tenants, log));
    const secretBox = SecretBox.fromEnvironment({ env, home: config.home });
    const publicUrl = config.publicUrl ?? `http://${config.host}:${config.port}`;
    const engine = await launchEngine({
      config, url, db, log, clock, tenants, secretBox, playbooks, env, role: 'worker', embedded: false,
      publicUrl: () => publicUrl,
      onFenced: opts.onFenced ?? (() => process.exit(75)),
    });
    cleanup.push(() => engine.stop());
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      for (const fn of cleanup.reverse()) await fn().catch((err: unknown) => log.warn({ err }, 'shutdown step failed'));
      await db.destroy().catch((err: unknown) => log.warn({ err }, 'closing the database pool failed'));
    };
    return { config, engine, log, stop };
  } catch (err) {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    throw err;
  }
}
