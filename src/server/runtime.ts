import { liveFeedOf } from './live-feed.js';
import { AiosError } from '../core/errors.js';
import { writeFileSync, rmSync, renameSync } from 'node:fs';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { loadConfig, homePaths, type AiosConfig } from '../core/config.js';
import { systemClock, type Clock } from '../core/clock.js';
import { createLogger, type Logger } from '../core/logger.js';
import { openDb, migrate, checkReachable, type Db } from '../store/db.js';
import type { EmbeddedDatabase } from '../store/embedded-postgres.js';
import { prepareAppDatabase, warnIfSuperuser } from '../store/app-role.js';
import { secureHome } from './home-modes.js';
import { upgradeLegacyCredentials } from '../connection/framework/credential-upgrade.js';
import type { PlaybookHost } from '../autonomy/engine/playbook-host.js';
import { launchEngine } from './engine-startup.js';
import { ALL_PLAYBOOKS } from '../autonomy/playbooks/index.js';
import { startWatchSchedule, WATCH_EVERY_MS, type WatchSchedule } from './watch-schedule.js';
import { startBriefSchedule, BRIEF_EVERY_MS, type BriefSchedule } from './brief-schedule.js';
import { ownAddressesOf } from './own-addresses.js';
import type { Playbook } from '../autonomy/engine/define-playbook.js';
import { TenantRegistry } from './tenant-registry.js';
import { watchTenantConfig } from './config-watch.js';
import { acquireInstanceLock } from './instance-lock.js';
import { SecretBox } from '../connection/framework/secret-box.js';
import { startConnectors, CONNECTORS } from './connectors.js';
import { startKnowledge, startTenantKnowledge } from './knowledge-startup.js';
import { buildApp } from './http/app.js';
import { attachRelaySocket } from './http/relay-socket.js';
import type { Services } from './http/services.js';
import { ensureCliTokens } from './cli-tokens.js';
import { ensureOwnerLogins, type OwnerLogin } from './owner-logins.js';
import { ensureDemoTenantFiles } from './demo/demo-files.js';
import { setOutboundPolicy } from '../connection/framework/address-policy.js';

/** A running AIOS: database, durable engine, HTTP server. */
export interface Aios {
  config: AiosConfig;
  db: Db;
  log: Logger;
  clock: Clock;
  tenants: TenantRegistry;
  host: PlaybookHost;
  services: Services;
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:4400. */
  url: string;
  /** slug → CLI API token. */
  cliTokens: Map<string, string>;
  /** Slugs whose CLI token was created by this start (the only start that may show it). */
  cliTokensCreated: Set<string>;
  /** Each business owner's dashboard login (the generated first password while unchanged). */
  ownerLogins: OwnerLogin[];
  /** True when this start created the demo business (first start of a fresh AIOS_HOME). */
  demoCreated: boolean;
  /** The watcher scheduler (its first pass is the catch-up after downtime). */
  watch: WatchSchedule;
  /** The daily brief and weekly report scheduler (its first pass is today's catch-up). */
  briefs: BriefSchedule;
  stop(): Promise<void>;
}

export interface StartOptions {
  config?: AiosConfig;
  clock?: Clock;
  log?: Logger;
  /** Create the demo business when AIOS_HOME has no tenants (default true). */
  demo?: boolean;
  /** Environment for model settings (AIOS_LLM, keys, budget); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** More playbooks to register beside ALL_PLAYBOOKS (tests: a playbook whose step fails on purpose). */
  extraPlaybooks?: Playbook[];
  /**
   * False: serve HTTP and enqueue runs, but execute none (`aios start --no-work`; `aios worker`
   * processes on the same database run them). Default true: this process is also a worker.
   */
  work?: boolean;
  /** Called when peers took this process for dead and took over its runs (default: exit with code 75). */
  onFenced?: (by: string | null) => void;
}

/**
 * Starts AIOS: database (embedded unless DATABASE_URL), migrations, tenant files (validated),
 * playbooks registered with DBOS and interrupted runs recovered, undelivered decisions and
 * undispatched signals repaired, then the HTTP server.
 */
export async function startAios(opts: StartOptions = {}): Promise<Aios> {
  const config = opts.config ?? loadConfig();
  const log = opts.log ?? createLogger();
  const clock = opts.clock ?? systemClock;
  // Which addresses connectors may reach (AIOS_ALLOW_LOOPBACK, AIOS_ALLOW_PRIVATE_NETWORKS).
  setOutboundPolicy(config.network);
  const paths = homePaths(config.home);
  const useEmbedded = !config.databaseUrl && !config.databaseAdminUrl;
  secureHome(config.home, log, { pgTraversal: useEmbedded && process.getuid?.() === 0 });
  // One instance per home, taken before PostgreSQL is touched (a live instance's is never stopped).
  const lock = await acquireInstanceLock(config.home, { log });

  // The application connects as its own non-superuser role whenever an administrator connection
  // is known (embedded, or AIOS_DATABASE_ADMIN_URL); a plain DATABASE_URL is used as it is.
  let embedded: EmbeddedDatabase | null = null;
  let url: string;
  try {
    // Loaded only when used: embedded-postgres installs an exit hook that ends the process on
    // SIGTERM (code 143) before AIOS's own shutdown has run, which an external database must not get.
    if (useEmbedded) embedded = await (await import('../store/embedded-postgres.js')).startEmbeddedPostgres(paths.pgData, log);
    const adminUrl = embedded?.url ?? config.databaseAdminUrl;
    url = adminUrl
      ? await prepareAppDatabase({ adminUrl, appUrl: config.databaseUrl, home: config.home, log, embedded: embedded !== null })
      : config.databaseUrl!;
  } catch (err) {
    await embedded?.stop().catch(() => undefined);
    lock.release();
    throw err;
  }
  const { db, pool } = openDb(url, config.work.dbPoolSize, { prepared: config.work.preparedStatements });
  const cleanup: Array<() => Promise<void>> = [];
  try {
    await checkReachable(pool, url);
    if (!embedded && !config.databaseAdminUrl) {
      await migrate(db);
      await warnIfSuperuser(db, log);
    }
    const demoCreated = opts.demo === false ? false : ensureDemoTenantFiles(paths.tenants);
    const playbooks = [...ALL_PLAYBOOKS, ...(opts.extraPlaybooks ?? [])];
    const tenants = await TenantRegistry.load(db, paths.tenants, playbooks, { log });
    if (process.env.AIOS_CONFIG_WATCH !== '0') cleanup.push(await watchTenantConfig(tenants, log));
    const stopKnowledge = await startKnowledge(db, tenants.all(), log, { watch: process.env.AIOS_KNOWLEDGE_WATCH !== '0' });
    cleanup.push(stopKnowledge);

    let publicUrl = config.publicUrl ?? '';
    const secretBox = SecretBox.fromEnvironment({ home: config.home });
    await upgradeLegacyCredentials(db, secretBox, log);
    const role = opts.work === false ? 'web' : 'all';
    const engine = await launchEngine({
      config, url, db, log, clock, tenants, secretBox, playbooks, env: opts.env ?? process.env, role, embedded: embedded !== null,
      publicUrl: () => publicUrl,
      onFenced: opts.onFenced ?? (() => process.exit(75)),
    });
    cleanup.push(() => engine.stop());
    const { host, approvalLinks } = engine;
    await host.redeliverDecisions();
    await host.startOrphans();
    await host.dispatchPending();
    // Every watcher for every business: once now (catch-up after downtime), then every few minutes.
    const watchEnv = opts.env ?? process.env;
    const watch = startWatchSchedule({ db, log, clock, host, tenants, ownAddresses: (t) => ownAddressesOf(db, secretBox, t) }, Number(watchEnv.AIOS_WATCH_EVERY_MS) > 0 ? Number(watchEnv.AIOS_WATCH_EVERY_MS) : WATCH_EVERY_MS);
    cleanup.push(() => watch.stop());

    const connectors = await startConnectors(db, secretBox, log, {
      host,
      ownAddresses: (tenantId) => {
        const s = tenants.get(tenantId).playbookSettings['inbox-triage'] as { own_addresses?: string[] } | undefined;
        return [...(config.smtp ? [config.smtp.from.match(/<([^>]+)>/)?.[1] ?? config.smtp.from] : []), ...(s?.own_addresses ?? [])];
      },
    });
    cleanup.push(() => connectors.stop());
    const services: Services = {
      db, log, clock, config, tenants, host, secretBox, publicUrl: () => publicUrl, approvalLinks,
      connectors: { list: CONNECTORS, pollNow: (id) => void connectors.poller.pollNow(id).catch((err: unknown) => log.warn({ err }, 'poll failed')) },
    };
    const app = buildApp(services);
    const server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s as Server));
      (s as Server).once('error', (err: NodeJS.ErrnoException) =>
        reject(err.code === 'EADDRINUSE' ? new AiosError('port_in_use', `port ${config.port} on ${config.host} is in use`, { fix: 'Set AIOS_PORT to another port (0 picks a free one), or stop the program that uses it.', cause: err }) : err),
      );
    });
    const addr = server.address();
    const port = addr && typeof addr === 'object' ? addr.port : config.port;
    const baseUrl = `http://${config.host}:${port}`;
    if (!publicUrl) publicUrl = baseUrl;
    // The owner's daily brief and weekly report: looked at every minute, made and mailed once a day (started once the dashboard's URL is known: the mail links to it).
    const briefs = startBriefSchedule({ db, log, now: () => clock.now(), tenants, channels: engine.deps.channels, dashboardUrl: () => publicUrl }, Number(watchEnv.AIOS_BRIEF_EVERY_MS) > 0 ? Number(watchEnv.AIOS_BRIEF_EVERY_MS) : BRIEF_EVERY_MS);
    cleanup.push(() => briefs.stop());
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
    // Runs before the server closes (cleanup runs in reverse): open live streams would keep it open.
    cleanup.push(async () => liveFeedOf(services).close());
    cleanup.push(attachRelaySocket(server, services));

    const cliTokensCreated = new Set<string>();
    const cliTokens = await ensureCliTokens(db, paths.cliTokens, tenants.all(), cliTokensCreated);
    const ownerLogins = await ensureOwnerLogins(db, paths.dashboardLogins, tenants.all(), clock.now());
    // A business created while running (agency console) gets what a start gives every business.
    tenants.onAdded(async (t) => {
      const stopOne = await startTenantKnowledge(db, t, log, { watch: process.env.AIOS_KNOWLEDGE_WATCH !== '0' });
      cleanup.push(stopOne);
      const made = new Set<string>();
      const tokens = await ensureCliTokens(db, paths.cliTokens, [t], made);
      for (const [slug, token] of tokens) cliTokens.set(slug, token);
      for (const slug of made) cliTokensCreated.add(slug);
      ownerLogins.push(...(await ensureOwnerLogins(db, paths.dashboardLogins, [t], clock.now())));
    });
    // Written whole or not at all (temp file + rename): the CLI and tests read it while AIOS starts.
    writeFileSync(`${paths.runtime}.tmp`, JSON.stringify({ pid: process.pid, url: baseUrl, startedAt: new Date().toISOString() }, null, 2), { mode: 0o600 });
    renameSync(`${paths.runtime}.tmp`, paths.runtime);

    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      rmSync(paths.runtime, { force: true });
      for (const fn of cleanup.reverse()) await fn().catch((err) => log.warn({ err }, 'shutdown step failed'));
      // Every step is tried even when one fails: the lock is released whatever happened before it.
      await db.destroy().catch((err: unknown) => log.warn({ err }, 'closing the database pool failed'));
      await embedded?.stop().catch((err: unknown) => log.warn({ err }, 'stopping the embedded PostgreSQL failed'));
      lock.release();
    };
    return { config, db, log, clock, tenants, host, services, url: baseUrl, cliTokens, cliTokensCreated, ownerLogins, demoCreated, watch, briefs, stop };
  } catch (err) {
    for (const fn of cleanup.reverse()) await fn().catch(() => undefined);
    await db.destroy().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    lock.release();
    throw err;
  }
}
