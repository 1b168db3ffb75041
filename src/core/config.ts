import { resolve, join } from 'node:path';
import { ConfigError } from './errors.js';

/** Instance-wide settings, read from the environment once at start. Tenant settings live in files. */
export interface AiosConfig {
  /** Absolute path of the data folder (`AIOS_HOME`, default `./.aios`). */
  home: string;
  /** HTTP bind address (`AIOS_HOST`, default 127.0.0.1). */
  host: string;
  /** HTTP port (`AIOS_PORT`, default 4400; 0 picks a free port). */
  port: number;
  /** External PostgreSQL (`DATABASE_URL`); when absent the embedded server under `home/pg` is used. */
  databaseUrl: string | null;
  /**
   * Administrator connection (`AIOS_DATABASE_ADMIN_URL`) for an external PostgreSQL: migrations run
   * with it and it hands the tables to the application's role; the application never uses it.
   */
  databaseAdminUrl: string | null;
  /** Public base URL Twilio calls and approval links use (`AIOS_PUBLIC_URL`, default the bind address). */
  publicUrl: string | null;
  /** Twilio REST credentials; without both, SMS go to the sandbox channel and never leave the machine. */
  twilio: { accountSid: string | null; authToken: string | null; baseUrl: string };
  /**
   * DBOS application version. Pinned (not derived from code) so runs waiting for days are recovered
   * by a restarted process even when the code changed. Playbook versions are separate workflow names.
   */
  applicationVersion: string;
  /**
   * This process's DBOS executor id (`AIOS_EXECUTOR_ID`), or null: then the embedded database's
   * single process is `local` (its previous runs are recovered at restart) and a process on an
   * external `DATABASE_URL` draws a unique one (see `autonomy/engine/executor-id.ts`).
   */
  executorId: string | null;
  /** Workers, queues and failover (see `autonomy/engine/README.md`). */
  work: WorkSettings;
  /** Test-only fault injection: SIGKILL the process at a named point (see `core/crash-point.ts`). */
  crashAt: string | null;
  /** Which addresses connector hosts may resolve to (see `connection/framework/address-policy.ts`). */
  network: NetworkPolicy;
  /**
   * Estimated price of one SMS segment in micro-units of the account's currency
   * (`AIOS_SMS_SEGMENT_PRICE_MICROS`, default 8300 = $0.0083, Twilio's US price); the ledger's SMS cost.
   */
  smsSegmentPriceMicros: number;
  /** Outgoing mail of the instance (`AIOS_SMTP_URL`, `AIOS_SMTP_FROM`): booking confirmations with an ICS invite. Null: no email channel. */
  smtp: { url: string; from: string } | null;
  /**
   * How often a run waiting in this process for a time on the business clock wakes to look at that
   * clock again, in milliseconds (`AIOS_WAKE_EVERY_MS`, default 3,600,000 = 1 h): with parking off,
   * or less than the park threshold left. A longer wait parks until its moment, which the waker
   * checks on the business clock every second. Tests with an injected clock and parking off set it
   * low (e.g. 200) so that a multi-day sequence runs in seconds.
   */
  wakeEveryMs: number;
}

/**
 * The park threshold when `AIOS_PARK_AFTER_MS` is not set, in ms (60 s): a run that waits a minute or
 * more (a reply, an approval, quiet hours) holds no memory and no slot. 0 = waits are held in memory.
 */
export const DEFAULT_PARK_AFTER_MS = 60_000;

/** How runs are queued and how processes watch each other. */
export interface WorkSettings {
  /**
   * Runs a business may start per second, across all workers (`AIOS_BUSINESS_RUNS_PER_SECOND`; 0 = no
   * limit). Null when not set: 10 while the instance serves more than one business (a flood must not
   * take the machine from the others), no limit for a single business (nobody to protect).
   */
  businessRunsPerSecond: number | null;
  /**
   * Runs of one business a worker executes at the same time (`AIOS_BUSINESS_CONCURRENCY`, default 16),
   * applied in the run queue only while runs park (`parkAfterMs` > 0): a run waiting in memory would
   * hold its slot for days. See `autonomy/engine/run-parking.ts`.
   */
  businessConcurrency: number;
  /**
   * Waits at least this long park their run instead of holding it in memory, in ms
   * (`AIOS_PARK_AFTER_MS`, default {@link DEFAULT_PARK_AFTER_MS}; 0 = never park). Each run records
   * the value it started with and keeps it, so the setting can change between two starts.
   */
  parkAfterMs: number;
  /**
   * The park threshold of runs started before runs recorded their own: `AIOS_PARK_AFTER_MS` when set,
   * else 0 (the default when they started), so that they replay as they started.
   */
  unrecordedParkAfterMs: number;
  /**
   * Webhooks of one business an HTTP process takes in at the same time; the rest wait in its lane
   * (`AIOS_BUSINESS_INTAKE_CONCURRENCY`). Null when not set: 1 while the instance serves more than
   * one business, 4 for a single business (see `server/http/intake-lanes.ts`).
   */
  businessIntakeConcurrency: number | null;
  /**
   * Connections per pool (`AIOS_DB_POOL_SIZE`, default 20): a process has two, its own and DBOS's.
   * Several processes on one PostgreSQL need their sum under its `max_connections`.
   */
  dbPoolSize: number;
  /** How often a worker looks for queued runs, in ms (`AIOS_QUEUE_POLL_MS`, default 200). */
  queuePollMs: number;
  /** How often a process writes its heartbeat, in ms (`AIOS_HEARTBEAT_MS`, default 2000). */
  heartbeatMs: number;
  /** A peer whose heartbeat is older than this is presumed dead and its runs are taken over, in ms (`AIOS_FAILOVER_AFTER_MS`, default 10000). */
  failoverAfterMs: number;
  /**
   * Runs a process that executes runs starts on itself instead of queueing them, counted while
   * they execute (`AIOS_LOCAL_RUNS`, default 32; 0 = queue every run). A direct start skips the
   * queue's poll (up to `queuePollMs` per text) and its claim; past this number, past
   * `businessConcurrency` of one business, or past `businessRunsPerSecond`, runs queue as before.
   * See `autonomy/engine/run-admission.ts`.
   */
  localRuns: number;
  /**
   * Hot statements run as named prepared statements, parsed and planned once per connection
   * (`AIOS_PREPARED_STATEMENTS`, default 1). Set 0 behind a connection pooler that cannot keep them
   * (PgBouncer in transaction mode before 1.21). See `store/prepared-statements.ts`.
   */
  preparedStatements: boolean;
}

/** Instance setting: internal addresses connections may reach. Link-local, multicast and unspecified addresses never. */
export interface NetworkPolicy {
  /** `AIOS_ALLOW_LOOPBACK=1`: this machine (127/8, ::1), for tests and a same-machine service. Default off. */
  allowLoopback: boolean;
  /** `AIOS_ALLOW_PRIVATE_NETWORKS=1`: LAN ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7). Default off. */
  allowPrivateNetworks: boolean;
}

function boolEnv(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (['', '0', 'false', 'no', 'off'].includes(raw)) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  throw new ConfigError('environment', name, `must be 1 or 0, got "${env[name]}"`);
}

/** Reads the network allowances (`AIOS_ALLOW_LOOPBACK`, `AIOS_ALLOW_PRIVATE_NETWORKS`). Throws ConfigError on bad values. */
export function networkPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): NetworkPolicy {
  return { allowLoopback: boolEnv(env, 'AIOS_ALLOW_LOOPBACK'), allowPrivateNetworks: boolEnv(env, 'AIOS_ALLOW_PRIVATE_NETWORKS') };
}

function intEnv(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError('environment', name, `must be an integer 0..65535, got "${raw}"`);
  }
  return n;
}

/** Reads the instance configuration from environment variables. Throws ConfigError on bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AiosConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('environment', 'DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const databaseAdminUrl = env.AIOS_DATABASE_ADMIN_URL?.trim() || null;
  if (databaseAdminUrl && !/^postgres(ql)?:\/\//.test(databaseAdminUrl)) {
    throw new ConfigError('environment', 'AIOS_DATABASE_ADMIN_URL', 'must start with postgres:// or postgresql://');
  }
  const publicUrl = env.AIOS_PUBLIC_URL?.trim().replace(/\/+$/, '') || null;
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) {
    throw new ConfigError('environment', 'AIOS_PUBLIC_URL', 'must be an http:// or https:// URL');
  }
  return {
    home: resolve(env.AIOS_HOME || '.aios'),
    host: env.AIOS_HOST || '127.0.0.1',
    port: intEnv(env, 'AIOS_PORT', 4400),
    databaseUrl,
    databaseAdminUrl,
    publicUrl,
    twilio: {
      accountSid: env.AIOS_TWILIO_ACCOUNT_SID || env.TWILIO_ACCOUNT_SID || null,
      authToken: env.AIOS_TWILIO_AUTH_TOKEN || env.TWILIO_AUTH_TOKEN || null,
      baseUrl: (env.AIOS_TWILIO_BASE_URL || 'https://api.twilio.com').replace(/\/+$/, ''),
    },
    applicationVersion: env.AIOS_APP_VERSION || 'aios-runtime-1',
    executorId: env.AIOS_EXECUTOR_ID?.trim() || null,
    work: workFromEnv(env),
    crashAt: env.AIOS_CRASH_AT || null,
    network: networkPolicyFromEnv(env),
    smsSegmentPriceMicros: intEnv(env, 'AIOS_SMS_SEGMENT_PRICE_MICROS', 8300),
    smtp: smtpFromEnv(env),
    wakeEveryMs: wakeEnv(env),
  };
}

function intRangeEnv(env: NodeJS.ProcessEnv, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError('environment', name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

function workFromEnv(env: NodeJS.ProcessEnv): WorkSettings {
  const heartbeatMs = intRangeEnv(env, 'AIOS_HEARTBEAT_MS', 2000, 100, 60_000);
  const failoverAfterMs = intRangeEnv(env, 'AIOS_FAILOVER_AFTER_MS', 10_000, 500, 3_600_000);
  if (failoverAfterMs < 2 * heartbeatMs) throw new ConfigError('environment', 'AIOS_FAILOVER_AFTER_MS', `must be at least twice AIOS_HEARTBEAT_MS (${heartbeatMs} ms), got ${failoverAfterMs}: a live process would be taken for dead`);
  return {
    businessRunsPerSecond: env.AIOS_BUSINESS_RUNS_PER_SECOND?.trim() ? intRangeEnv(env, 'AIOS_BUSINESS_RUNS_PER_SECOND', 0, 0, 10_000) : null,
    businessConcurrency: intRangeEnv(env, 'AIOS_BUSINESS_CONCURRENCY', 16, 1, 10_000),
    parkAfterMs: intRangeEnv(env, 'AIOS_PARK_AFTER_MS', DEFAULT_PARK_AFTER_MS, 0, 30 * 24 * 3_600_000),
    unrecordedParkAfterMs: env.AIOS_PARK_AFTER_MS?.trim() ? intRangeEnv(env, 'AIOS_PARK_AFTER_MS', 0, 0, 30 * 24 * 3_600_000) : 0,
    businessIntakeConcurrency: env.AIOS_BUSINESS_INTAKE_CONCURRENCY?.trim() ? intRangeEnv(env, 'AIOS_BUSINESS_INTAKE_CONCURRENCY', 4, 1, 1000) : null,
    dbPoolSize: intRangeEnv(env, 'AIOS_DB_POOL_SIZE', 20, 2, 500),
    queuePollMs: intRangeEnv(env, 'AIOS_QUEUE_POLL_MS', 200, 20, 10_000),
    heartbeatMs,
    failoverAfterMs,
    localRuns: intRangeEnv(env, 'AIOS_LOCAL_RUNS', 32, 0, 10_000),
    preparedStatements: (env.AIOS_PREPARED_STATEMENTS ?? '').trim() === '' || boolEnv(env, 'AIOS_PREPARED_STATEMENTS'),
  };
}

function wakeEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.AIOS_WAKE_EVERY_MS?.trim();
  if (!raw) return 3_600_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 10 || n > 86_400_000) throw new ConfigError('environment', 'AIOS_WAKE_EVERY_MS', `must be an integer number of milliseconds from 10 to 86400000, got "${raw}"`);
  return n;
}

/** `AIOS_SMTP_URL` (smtp:// or smtps://) and `AIOS_SMTP_FROM` (required with it). */
function smtpFromEnv(env: NodeJS.ProcessEnv): { url: string; from: string } | null {
  const url = env.AIOS_SMTP_URL?.trim();
  if (!url) return null;
  if (!/^smtps?:\/\//.test(url)) throw new ConfigError('environment', 'AIOS_SMTP_URL', 'must start with smtp:// or smtps://, e.g. smtps://user:password@smtp.example.com:465');
  const from = env.AIOS_SMTP_FROM?.trim();
  if (!from || !from.includes('@')) throw new ConfigError('environment', 'AIOS_SMTP_FROM', 'must be the From address of booking mail, e.g. "Ace Plumbing <bookings@ace.example>"');
  return { url, from };
}

/** Well-known paths inside AIOS_HOME. */
export const homePaths = (home: string) => ({
  pgData: join(home, 'pg'),
  runtime: join(home, 'runtime.json'),
  tenants: join(home, 'tenants'),
  cliTokens: join(home, 'cli-tokens'),
  /** The first dashboard password of each business's owner (`<slug>`: `email password`), 0600; removed when they set their own. */
  dashboardLogins: join(home, 'dashboard-logins'),
  /** One AIOS per home: pid, host and start time of the instance that owns it. */
  lock: join(home, 'aios.lock'),
  /** The CLI's default business (`aios use <slug>`). */
  cliDefault: join(home, 'cli-default'),
});
