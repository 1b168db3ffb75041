// Child process for the instance-lock race test: takes the lock of AIOS_HOME argv[2], reports, holds it a moment.
import { acquireInstanceLock } from '../../src/server/instance-lock.js';

const home = process.argv[2]!;
// Every racer waits for the same instant (argv[3], ms since the epoch) so that they really race.
await new Promise((r) => setTimeout(r, Math.max(0, Number(process.argv[3]) - Date.now())));
try {
  const lock = await acquireInstanceLock(home);
  process.stdout.write('won\n');
  await new Promise((r) => setTimeout(r, 1500));
  lock.release();
} catch (err) {
  process.stdout.write(`refused ${(err as { code?: string }).code ?? String(err)}\n`);
}
