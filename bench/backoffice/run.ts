/**
 * `npm run bench:backoffice` (issue 10): runs each back-office benchmark in its own process, one
 * after the other, so that one's memory and JIT state do not colour the next; each prints its own
 * tables. `triage.ts`: offline triage quality on the SpamAssassin corpus, learning from
 * corrections, throughput on a 5,000-message backfill. `containment.ts`: injected attacks against
 * a model that obeys them, and the external effects outside the policy (target 0). `watchers.ts`:
 * the watcher scheduler's pass time over thousands of conversations, invoices, deals and meetings.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const parts = ['triage.ts', 'containment.ts', 'watchers.ts'];
let failed = 0;
for (const part of parts) {
  const file = join(here, part);
  if (!existsSync(file)) {
    console.error(`bench:backoffice: ${part} is missing`);
    failed++;
    continue;
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
