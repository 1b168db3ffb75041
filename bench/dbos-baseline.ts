import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { startEmbeddedPostgres } from '../src/store/embedded-postgres.js';
import { createLogger } from '../src/core/logger.js';

/**
 * Bare DBOS doing the same number of checkpointed steps as one missed-call run (up to its wait for
 * the reply), with no work inside the steps: the ceiling AIOS's throughput is compared against.
 * Returns workflows per second at `concurrency` in-flight starts.
 */
export async function dbosBaseline(opts: { steps: number; workflows: number; concurrency: number }): Promise<{ perSecond: number; elapsedMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'aios-bench-dbos-'));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres(join(dir, 'pg'), createLogger('bench'));
  const done = new Map<string, () => void>();
  const wf = DBOS.registerWorkflow(
    async (id: string) => {
      for (let i = 0; i < opts.steps; i++) {
        await DBOS.runStep(async () => (i === opts.steps - 1 ? (done.get(id)?.(), i) : i), { name: `step-${i}` });
      }
      await DBOS.recv('reply', { timeoutSeconds: 48 * 3600 });
    },
    { name: 'baseline' },
  );
  DBOS.setConfig({ name: 'baseline', systemDatabaseUrl: pg.url, systemDatabasePoolSize: 20, applicationVersion: 'bench', logLevel: 'error' });
  await DBOS.launch();
  let next = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < opts.workflows) {
      const id = `wf-${next++}`;
      const reached = new Promise<void>((r) => done.set(id, r));
      await DBOS.startWorkflow(wf, { workflowID: id })(id);
      await reached;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const elapsedMs = performance.now() - t0;
  await DBOS.shutdown();
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
  return { perSecond: (opts.workflows / elapsedMs) * 1000, elapsedMs };
}
