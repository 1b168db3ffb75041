import { describe, it, expect } from 'vitest';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../src/core/errors.js';
import { tenantYaml, AUTO_POLICY } from './support/harness.js';
import { startAttempts } from './support/start-attempts.js';

const tenant = { slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY };
const { startWith } = await startAttempts(tenant);

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
