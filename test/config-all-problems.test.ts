import { describe, it, expect, afterAll } from 'vitest';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startAios } from '../src/server/runtime.js';
import { loadConfig } from '../src/core/config.js';
import { ConfigError } from '../src/core/errors.js';
import { createTestDatabase } from './support/test-db.js';
import { makeHome, tenantYaml, AUTO_POLICY } from './support/harness.js';

const tdb = await createTestDatabase({ migrate: false });
const homes: string[] = [];
afterAll(async () => {
  await tdb.close();
  for (const hm of homes) rmSync(hm, { recursive: true, force: true });
});

const tenant = { slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY };
async function startWith(mutate: (dir: string) => void): Promise<unknown> {
  const home = makeHome([tenant]);
  homes.push(home);
  mutate(join(home, 'tenants', 'acme'));
  const config = loadConfig({ AIOS_HOME: home, AIOS_PORT: '0', AIOS_DATABASE_ADMIN_URL: tdb.url });
  try {
    const aios = await startAios({ config, demo: false });
    await aios.stop();
    return null;
  } catch (err) {
    return err;
  }
}

describe('one start names every problem of a configuration file', () => {
  it('tenant.yaml with three mistakes: all three in one error, the misspelled key not also "missing"', async () => {
    const text = tenantYaml(tenant)
      .replace('time_zone:', 'tiem_zone:')
      .replace('phone: "+14165550100"', 'phone: "call the office"')
      .replace('reply_wait_hours: 48', 'reply_wait_hours: -1');
    const err = (await startWith((dir) => writeFileSync(join(dir, 'tenant.yaml'), text))) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems.map((p) => p.field)).toEqual(['tiem_zone', 'phone', 'playbooks.missed-call-text-back.reply_wait_hours']);
    expect(err.field).toBe('tiem_zone');
    expect(err.problem).toMatch(/unknown key "tiem_zone"; did you mean "time_zone"\?/);
    expect(err.message).not.toMatch(/time_zone: is required/);
    // What `aios start` prints: one line per problem, then what to do.
    const printed = err.describe().split('\n');
    expect(printed[0]).toMatch(/tenant\.yaml: 3 problems:$/);
    expect(printed.filter((l) => l.startsWith('  - '))).toHaveLength(3);
    expect(err.fix).toMatch(/correct each field/);
  });

  it('policy.yaml with two mistakes: both named', async () => {
    const text = AUTO_POLICY.replace('first_contact: auto', 'frist_contact: auto') + 'quiet_hours:\n  start: "25:00"\n  end: "08:00"\n';
    const err = (await startWith((dir) => writeFileSync(join(dir, 'policy.yaml'), text))) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.problems.map((p) => p.field).sort()).toEqual(['frist_contact', 'quiet_hours.start']);
    expect(err.message).toMatch(/did you mean "first_contact"/);
  });

  it('a missing policy.yaml says what to write, and writing it lets AIOS start', async () => {
    const err = (await startWith((dir) => rmSync(join(dir, 'policy.yaml')))) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.fix).toMatch(/single line "version: 1"/);
    expect(await startWith((dir) => writeFileSync(join(dir, 'policy.yaml'), 'version: 1\n'))).toBeNull();
  });
});
