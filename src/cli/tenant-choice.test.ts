import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, statSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTarget } from './client.js';
import { storeDefaultTenant } from './tenant-choice.js';
import { AiosError } from '../core/errors.js';

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** An AIOS_HOME as a running AIOS leaves it: one CLI token per business. */
function home(...slugs: string[]): string {
  const h = mkdtempSync(join(tmpdir(), 'aios-cli-'));
  homes.push(h);
  mkdirSync(join(h, 'cli-tokens'));
  for (const s of slugs) writeFileSync(join(h, 'cli-tokens', s), `token-of-${s}\n`);
  return h;
}
const env = (h: string, more: Record<string, string> = {}) => ({ AIOS_HOME: h, AIOS_URL: 'http://127.0.0.1:4400', ...more });
function failure(fn: () => unknown): AiosError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AiosError);
    return err as AiosError;
  }
  throw new Error('expected an error');
}

describe('which business the CLI acts on', () => {
  it('one business: that one, as before', () => {
    const h = home('acme');
    expect(resolveTarget(undefined, env(h))).toMatchObject({ slug: 'acme', token: 'token-of-acme', url: 'http://127.0.0.1:4400' });
  });

  it('several and no choice: refuses, listing them and how to choose', () => {
    const h = home('acme', 'bravo');
    const err = failure(() => resolveTarget(undefined, env(h)));
    expect(err.code).toBe('tenant_required');
    expect(err.message).toBe(`AIOS_HOME=${h} has 2 businesses (acme, bravo); which one?`);
    expect(err.fix).toContain('aios --tenant <slug>');
    expect(err.fix).toContain('aios use <slug>');
  });

  it('several: --tenant, then AIOS_TENANT, then the stored default decide', () => {
    const h = home('acme', 'bravo', 'charlie');
    storeDefaultTenant(h, 'charlie');
    expect(resolveTarget('bravo', env(h, { AIOS_TENANT: 'acme' })).slug).toBe('bravo');
    expect(resolveTarget(undefined, env(h, { AIOS_TENANT: 'acme' })).slug).toBe('acme');
    expect(resolveTarget(undefined, env(h)).slug).toBe('charlie');
    expect(resolveTarget(undefined, env(h)).token).toBe('token-of-charlie');
  });

  it('aios use stores the default in AIOS_HOME/cli-default, readable by the owner only', () => {
    const h = home('acme', 'bravo');
    storeDefaultTenant(h, 'bravo');
    expect(readFileSync(join(h, 'cli-default'), 'utf8').trim()).toBe('bravo');
    expect(statSync(join(h, 'cli-default')).mode & 0o777).toBe(0o600);
  });

  it('an unknown slug says so, with the list and a "did you mean"', () => {
    const h = home('acme', 'bravo');
    const err = failure(() => resolveTarget('bravvo', env(h)));
    expect(err.code).toBe('unknown_tenant');
    expect(err.message).toBe('no business "bravvo" in this AIOS_HOME; did you mean "bravo"?');
    expect(err.fix).toContain('acme, bravo');
    const bad = failure(() => storeDefaultTenant(h, 'zulu'));
    expect(bad.code).toBe('unknown_tenant');
    expect(existsSync(join(h, 'cli-default'))).toBe(false);
  });

  it('a stored default whose business is gone is reported, not silently replaced', () => {
    const h = home('acme', 'bravo');
    writeFileSync(join(h, 'cli-default'), 'gone\n');
    const err = failure(() => resolveTarget(undefined, env(h)));
    expect(err.message).toContain('the default business "gone"');
    expect(err.fix).toContain('aios use <slug>');
  });

  it('no business yet: start AIOS once', () => {
    const err = failure(() => resolveTarget(undefined, env(home())));
    expect(err.code).toBe('no_token');
  });
});
