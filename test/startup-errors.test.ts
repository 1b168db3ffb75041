import { describe, it, expect } from 'vitest';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { startAios } from '../src/server/runtime.js';
import { loadConfig } from '../src/core/config.js';
import { AiosError, ConfigError } from '../src/core/errors.js';
import { makeHome, tenantYaml, AUTO_POLICY } from './support/harness.js';
import { startAttempts } from './support/start-attempts.js';

const tenant = { slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY };
const { startWith, tdb, homes } = await startAttempts(tenant);

describe('start-up stops on bad configuration, naming the file and the field', () => {
  it('an invalid policy value', async () => {
    const err = await startWith((dir) => writeFileSync(join(dir, 'policy.yaml'), AUTO_POLICY + 'quiet_hours:\n  start: "25:00"\n  end: "08:00"\n'));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).file).toMatch(/acme\/policy\.yaml$/);
    expect((err as ConfigError).field).toBe('quiet_hours.start');
    expect((err as Error).message).toMatch(/HH:MM/);
  });

  it('an unknown decision in the policy', async () => {
    const err = (await startWith((dir) => writeFileSync(join(dir, 'policy.yaml'), AUTO_POLICY.replace('sms.send: auto', 'sms.send: sometimes')))) as ConfigError;
    expect(err.field).toBe('actions.sms.send');
    expect(err.message).toMatch(/auto, approve, never/);
  });

  it('an invalid time zone in tenant.yaml', async () => {
    const err = (await startWith((dir) => writeFileSync(join(dir, 'tenant.yaml'), tenantYaml(tenant).replace('America/Toronto', 'Mars/Olympus')))) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.field).toBe('time_zone');
    expect(err.message).toMatch(/IANA time zone/);
  });

  it('a bad playbook setting', async () => {
    const err = (await startWith((dir) => writeFileSync(join(dir, 'tenant.yaml'), tenantYaml(tenant).replace('reply_wait_hours: 48', 'reply_wait_hours: -1')))) as ConfigError;
    expect(err.field).toBe('playbooks.missed-call-text-back.reply_wait_hours');
  });

  it('a missing policy file', async () => {
    const err = (await startWith((dir) => rmSync(join(dir, 'policy.yaml')))) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/policy\.yaml/);
  });

  it('an unreachable external database gives a clear message, not a stack trace', async () => {
    const home = makeHome([tenant]);
    homes.push(home);
    const config = loadConfig({ AIOS_HOME: home, AIOS_PORT: '0', DATABASE_URL: 'postgres://aios:secret@127.0.0.1:1/aios' });
    const err = await startAios({ config, demo: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AiosError);
    expect((err as AiosError).code).toBe('database_unreachable');
    expect((err as AiosError).message).toContain('127.0.0.1:1');
    expect((err as AiosError).message).not.toContain('secret');
    expect((err as AiosError).fix).toMatch(/DATABASE_URL/);
  });

  it('a port in use is an AiosError with its fix (the CLI prints it as one line, no stack trace)', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = String((blocker.address() as { port: number }).port);
    try {
      const home = makeHome([tenant]);
      homes.push(home);
      const config = loadConfig({ AIOS_HOME: home, AIOS_PORT: port, AIOS_HOST: '127.0.0.1', AIOS_DATABASE_ADMIN_URL: tdb.url });
      const err = await startAios({ config, demo: false }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AiosError);
      expect((err as AiosError).code).toBe('port_in_use');
      expect((err as AiosError).describe()).toBe(`port ${port} on 127.0.0.1 is in use\n  → Set AIOS_PORT to another port (0 picks a free one), or stop the program that uses it.`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('bad environment values', () => {
    expect(() => loadConfig({ AIOS_PORT: 'abc' })).toThrow(/AIOS_PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
