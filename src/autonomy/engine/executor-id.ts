import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { ExecutorRole } from '../../store/schema.js';

/**
 * The DBOS executor id of this process. DBOS tags every workflow a process runs with it and, at
 * launch, recovers only the pending workflows of its own id.
 * - `AIOS_EXECUTOR_ID` when set (a fixed name per machine or container);
 * - `local` with the embedded database: one process per AIOS_HOME (the instance lock), whose
 *   restart must find its previous runs under the same id;
 * - otherwise, on a shared `DATABASE_URL`, a fresh `<role>-<host>-<pid>-<random>`: the runs a
 *   previous process left are taken over by the heartbeat failover (`executor-presence.ts`).
 */
export function executorIdFor(opts: { configured: string | null; embedded: boolean; role: ExecutorRole }): string {
  if (opts.configured) return opts.configured;
  if (opts.embedded) return 'local';
  const host = hostname().replace(/[^A-Za-z0-9.-]/g, '').slice(0, 40) || 'host';
  return `${opts.role}-${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
