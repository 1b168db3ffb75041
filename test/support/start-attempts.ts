import { afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startAios } from '../../src/server/runtime.js';
import { loadConfig } from '../../src/core/config.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';
import { makeHome, type TestTenant } from './tenant-files.js';

/**
 * For tests of start-up errors: `startWith(mutate)` writes a fresh home for `tenant`, lets
 * `mutate` edit its folder (`tenants/<slug>`), starts AIOS on its own test database (as the admin
 * URL, like the harness) and returns the error the start threw, or null when it started (it is
 * stopped again). Homes (also those a test adds to `homes`) and the database `tdb` are removed
 * after the file's tests.
 */
export async function startAttempts(tenant: TestTenant): Promise<{ startWith(mutate: (dir: string) => void): Promise<unknown>; tdb: TestDatabase; homes: string[] }> {
  const tdb = await createTestDatabase({ migrate: false });
  const homes: string[] = [];
  afterAll(async () => {
    await tdb.close();
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  });
  return {
    tdb,
    homes,
    async startWith(mutate) {
      const home = makeHome([tenant]);
      homes.push(home);
      mutate(join(home, 'tenants', tenant.slug));
      const config = loadConfig({ AIOS_HOME: home, AIOS_PORT: '0', AIOS_DATABASE_ADMIN_URL: tdb.url });
      try {
        const aios = await startAios({ config, demo: false });
        await aios.stop();
        return null;
      } catch (err) {
        return err;
      }
    },
  };
}
