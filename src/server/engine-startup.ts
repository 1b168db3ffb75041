import { DBOS } from '@dbos-inc/dbos-sdk';
import type { AiosConfig } from '../core/config.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { openDb, openPool, type Db } from '../store/db.js';
import type { ExecutorRole } from '../store/schema.js';
import { withSessionSettings, IDLE_IN_TRANSACTION_TIMEOUT_MS } from '../store/session-options.js';
import { PlaybookHost } from '../autonomy/engine/playbook-host.js';
import type { EngineDeps } from '../autonomy/engine/engine-deps.js';
import type { Playbook } from '../autonomy/engine/define-playbook.js';
import { defaultRunsPerSecond, registerRunQueue } from '../autonomy/engine/run-queue.js';
import { RunAdmission } from '../autonomy/engine/run-admission.js';
import { queueDirectRuns } from '../autonomy/engine/executor-recovery.js';
import { ExecutorPresence } from '../autonomy/engine/executor-presence.js';
import { executorIdFor } from '../autonomy/engine/executor-id.js';
import { ParkedRunWaker } from '../autonomy/engine/parked-run-waker.js';
import type { TenantRegistry } from './tenant-registry.js';
import { buildChannels } from './channels.js';
import { CalDavChannel } from '../connection/calendar/calendar-channel.js';
import { MailboxChannel } from '../connection/mail/mailbox-channel.js';
import { McpChannel } from '../connection/mcp/mcp-channel.js';
import { PublishChannel } from '../connection/publishing/publish-channel.js';
import { modelClientFromEnv } from '../ai/model-client.js';
import type { SecretBox } from '../connection/framework/secret-box.js';
import { readCredentials } from '../connection/framework/connections.js';
import type { McpCredentialsT } from '../connection/mcp/mcp-connector.js';
import { ApprovalLinks } from '../autonomy/approvals/approval-links.js';

/** What {@link launchEngine} needs from the process that starts it. */
export interface EngineStartOptions {
  config: AiosConfig;
  /** The application's connection URL (DBOS keeps its system tables in the same database). */
  url: string;
  db: Db;
  log: Logger;
  clock: Clock;
  tenants: TenantRegistry;
  secretBox: SecretBox;
  playbooks: Playbook[];
  env: NodeJS.ProcessEnv;
  /** `all`: serves and works; `web`: enqueues runs, never executes them; `worker`: executes only. */
  role: ExecutorRole;
  /** True with the embedded database (one process per home; executor id `local`). */
  embedded: boolean;
  publicUrl: () => string;
  /** Called when this process was taken for dead by a peer (see `ExecutorPresence`). */
  onFenced: (by: string | null) => void;
}

/** The durable engine of one process. */
export interface Engine {
  host: PlaybookHost;
  deps: EngineDeps;
  approvalLinks: ApprovalLinks;
  presence: ExecutorPresence;
  /** Stops DBOS (interrupted runs keep their state), then marks this executor stopped. */
  stop(): Promise<void>;
}

/**
 * Registers every playbook with DBOS, writes this process's heartbeat row, launches DBOS (which
 * recovers this executor id's own pending runs), registers the run queue and starts the heartbeat
 * and failover loop. A `web` process listens to no queue: its runs are executed by workers.
 */
export async function launchEngine(o: EngineStartOptions): Promise<Engine> {
  const { config, db, log, clock, tenants, secretBox } = o;
  const approvalLinks = new ApprovalLinks(secretBox.deriveKey('approval-links'), o.publicUrl);
  const deps: EngineDeps = {
    db, clock, log,
    publicUrl: o.publicUrl,
    tenant: (id) => tenants.get(id),
    policy: (id) => tenants.policy(id),
    channels: { ...buildChannels(config), mcp: new McpChannel(db, secretBox), calendar: new CalDavChannel(db, secretBox), mailbox: new MailboxChannel(db, secretBox), publish: new PublishChannel(db, secretBox, () => clock.now()) },
    toolEffect: (conn, tool) => readCredentials<McpCredentialsT>(secretBox, conn)?.tools[tool]?.effect ?? null,
    models: modelClientFromEnv(o.env, { db, clock }),
    approvalLinkTtlMs: 72 * 3_600_000,
    approvalWaitMs: 7 * 24 * 3_600_000,
    approvalLinks,
    ownerSmsReplies: Boolean(config.twilio.authToken),
    wakeEveryMs: config.wakeEveryMs,
    parkAfterMs: config.work.parkAfterMs,
    unrecordedParkAfterMs: config.work.unrecordedParkAfterMs,
  };
  // A process that executes runs starts the ones it has room for itself (run-admission.ts).
  const admission = o.role !== 'web' && config.work.localRuns > 0
    ? new RunAdmission({
        maxExecuting: config.work.localRuns,
        businessExecuting: config.work.businessConcurrency,
        runsPerSecond: config.work.businessRunsPerSecond ?? defaultRunsPerSecond(tenants.all().length),
      })
    : null;
  const host = new PlaybookHost(deps, admission);
  for (const pb of o.playbooks) host.register(pb);

  const executorId = executorIdFor({ configured: config.executorId, embedded: o.embedded, role: o.role });
  // Heartbeats have connections of their own: a process whose pool is taken by a flood of webhooks
  // or steps is busy, not dead, and must not be taken for dead.
  const beatDb = openDb(o.url, 2).db;
  const presence = new ExecutorPresence({
    db: beatDb, log, executorId, role: o.role, appVersion: config.applicationVersion,
    heartbeatMs: config.work.heartbeatMs, failoverAfterMs: config.work.failoverAfterMs,
    checkUnique: !o.embedded, onFenced: o.onFenced,
  });
  await presence.register();
  // Set at connection start (DBOS would otherwise send a SET racing each new connection's first query).
  const systemUrl = withSessionSettings(o.url, { idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS });
  // DBOS's own pool, ours so that its checkpoints run as prepared statements too (ended after DBOS).
  const systemPool = openPool(systemUrl, config.work.dbPoolSize, { prepared: config.work.preparedStatements });
  DBOS.setConfig({
    name: 'aios',
    systemDatabaseUrl: systemUrl,
    systemDatabasePool: systemPool,
    applicationVersion: config.applicationVersion,
    executorID: executorId,
    // While runs park, 'error': DBOS warns once per parked run ("was cancelled during execution.
    // Waiting for the recorded outcome"), which is how a parked execution ends (run-parking.ts).
    logLevel: o.env.AIOS_DBOS_LOG_LEVEL ?? (config.work.parkAfterMs > 0 ? 'error' : 'warn'),
    // A web process dequeues nothing (DBOS's own internal queue aside); the others take every queue.
    ...(o.role === 'web' ? { listenQueues: [] } : {}),
  });
  try {
    // This id's previous life may have left directly started runs: DBOS's launch recovery would put
    // them on its internal queue (any process, no per-business limits); put them on the run queue.
    await queueDirectRuns(db, executorId, config.applicationVersion);
    await DBOS.launch();
    await registerRunQueue(config.work, tenants.all().length);
  } catch (err) {
    await presence.stop().catch(() => undefined);
    await beatDb.destroy().catch(() => undefined);
    await systemPool.end().catch(() => undefined);
    throw err;
  }
  await presence.start();
  const waker = o.role === 'web' ? null : new ParkedRunWaker(db, log, clock);
  waker?.start();
  log.info({ executor: executorId, role: o.role, version: config.applicationVersion }, 'engine started');
  return {
    host, deps, approvalLinks, presence,
    stop: async () => {
      await waker?.stop();
      host.beginShutdown();
      try {
        await DBOS.shutdown();
      } finally {
        await presence.stop().finally(() => Promise.all([beatDb.destroy(), systemPool.end()]));
      }
    },
  };
}
