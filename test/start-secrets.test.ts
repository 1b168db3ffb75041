import { describe, it, expect, afterAll } from 'vitest';
import { chmodSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { makeHome, AUTO_POLICY } from './support/harness.js';
import { startChild, type ChildAios } from './support/child-aios.js';

/**
 * `aios start` as a user runs it (a child process on its embedded PostgreSQL): the API token is
 * printed at the first start only (logs such as journald keep stdout), and AIOS_HOME's secrets are
 * not readable by other users, with existing loose modes tightened at start.
 */
const ROOT = resolve(import.meta.dirname, '..');
const home = makeHome([{ slug: 'acme', phone: '+14165550100', policy: AUTO_POLICY }]);
const tenantDir = join(home, 'tenants', 'acme');
let current: ChildAios | undefined;
afterAll(async () => {
  if (current && current.proc.exitCode === null && current.proc.signalCode === null) {
    current.proc.kill('SIGTERM');
    await current.exited;
  }
  rmSync(home, { recursive: true, force: true });
});

const mode = (rel: string) => statSync(join(home, rel)).mode & 0o777;
const stop = async (c: ChildAios) => {
  c.proc.kill('SIGTERM');
  expect({ exit: (await c.exited).code, output: c.output().slice(-4000) }).toMatchObject({ exit: 0 });
};

describe('aios start and its secrets', () => {
  it('tightens AIOS_HOME, the tenant folders and every secret file, saying so', async () => {
    // A home as a umask of 022 leaves it: everything readable by everyone.
    writeFileSync(join(tenantDir, 'forms.yaml'), 'forms:\n  secret: "0123456789abcdef0123456789abcdef"\n', { mode: 0o644 });
    for (const [rel, m] of [['.', 0o755], ['tenants', 0o755], ['tenants/acme', 0o755], ['tenants/acme/forms.yaml', 0o644]] as const) chmodSync(join(home, rel), m);

    current = await startChild(home, {});
    // As root the embedded PostgreSQL runs as the `postgres` user, which may only traverse AIOS_HOME.
    expect(mode('.')).toBe(process.getuid?.() === 0 ? 0o701 : 0o700);
    expect(mode('tenants')).toBe(0o700);
    expect(mode('tenants/acme')).toBe(0o700);
    expect(mode('tenants/acme/forms.yaml')).toBe(0o600);
    expect(mode('secret.key')).toBe(0o600);
    expect(mode('aios-password')).toBe(0o600);
    expect(mode('cli-tokens')).toBe(0o700);
    expect(mode('cli-tokens/acme')).toBe(0o600);
    expect(current.output()).toMatch(/tightened .*forms\.yaml.*644.*600/);
  }, 90_000);

  it('prints the API token at the first start only, then where it is kept; the CLI keeps working', async () => {
    const token = current!.token('acme');
    expect(current!.output()).toContain(`API token: ${token}`);
    await stop(current!);

    current = await startChild(home, {});
    const out = current.output();
    expect(out).not.toContain(token);
    expect(out).toContain(`cat ${join(home, 'cli-tokens', 'acme')}`);
    expect(current.token('acme')).toBe(token);
    expect(out).not.toMatch(/tightened/);

    const status = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/aios.mjs'), 'status', '--json'], { cwd: ROOT, env: { ...process.env, AIOS_HOME: home, VITEST: '' } });
    expect(JSON.parse(status.stdout)).toHaveProperty('signals');
    await stop(current);
  }, 90_000);
});
