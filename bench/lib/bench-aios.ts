import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { startTwilioSink, type TwilioSink } from '../../test/support/twilio-sink.js';
import { makeHome, AUTO_POLICY, ACCOUNT_SID, AUTH_TOKEN } from '../../test/support/tenant-files.js';
import { startChild, type ChildAios } from '../../test/support/child-aios.js';

/** The one business every engine bench texts for. */
export const BENCH_BUSINESS = '+14165550100';

/** AIOS as a user runs it (child process, embedded PostgreSQL) texting a local Twilio sink, plus a superuser connection to its database. */
export interface BenchAios {
  child: ChildAios;
  sink: TwilioSink;
  db: pg.Client;
  /** The embedded PostgreSQL's postmaster pid (for its memory). */
  postmasterPid: number;
  /** Stops AIOS (SIGTERM), the sink and the connection, and removes the home. */
  stop(): Promise<void>;
}

/**
 * Starts AIOS for a bench: one business (auto-send, 100 texts per recipient a day), Twilio pointed
 * at a fresh sink, `env` on top (e.g. `AIOS_PG_SETTINGS`, `AIOS_PARK_AFTER_MS`).
 */
export async function startBenchAios(env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<BenchAios> {
  const sink = await startTwilioSink({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const home = makeHome([{ slug: 'bench', phone: BENCH_BUSINESS, policy: AUTO_POLICY.replace('max_per_recipient_per_day: 3', 'max_per_recipient_per_day: 100') }]);
  const child = await startChild(home, { AIOS_TWILIO_ACCOUNT_SID: ACCOUNT_SID, AIOS_TWILIO_AUTH_TOKEN: AUTH_TOKEN, AIOS_TWILIO_BASE_URL: sink.url, AIOS_LOG_LEVEL: 'error', ...env }, 60_000, nodeArgs);
  const pidFile = readFileSync(join(home, 'pg', 'postmaster.pid'), 'utf8').split('\n');
  const db = new pg.Client({ host: '127.0.0.1', port: Number(pidFile[3]), user: 'postgres', password: readFileSync(join(home, 'aios-password'), 'utf8').trim(), database: 'aios' });
  await db.connect();
  return {
    child, sink, db, postmasterPid: Number(pidFile[0]),
    stop: async () => {
      await db.end();
      child.proc.kill('SIGTERM');
      await child.exited;
      await sink.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
