import { describe, it, expect } from 'vitest';
import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox, SecretDecryptError, SecretKeyError } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));
  const B = { purpose: 'connection.credentials', tenantId: 'tn_a', recordId: 'conn_1' };

  it('round-trips and uses a fresh IV each time', () => {
    const a = box.seal('{"password":"hunter2"}', B);
    const b = box.seal('{"password":"hunter2"}', B);
    expect(a).not.toBe(b);
    expect(a.startsWith('aios-sb2.')).toBe(true);
    expect(a).not.toContain('hunter2');
    expect(box.open(a, B)).toBe('{"password":"hunter2"}');
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const sealed = box.seal('secret value', B);
    const parts = sealed.split('.');
    for (const i of [2, 3, 4]) {
      const p = [...parts];
      const bytes = Buffer.from(p[i]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      p[i] = bytes.toString('base64url');
      expect(() => box.open(p.join('.'), B)).toThrow(SecretDecryptError);
    }
    try {
      const p = [...parts];
      const ct = Buffer.from(p[4]!, 'base64url');
      ct[ct.length - 1] = ct[ct.length - 1]! ^ 0x80;
      p[4] = ct.toString('base64url');
      box.open(p.join('.'), B);
      expect.unreachable();
    } catch (err) {
      expect((err as SecretDecryptError).reason).toBe('tampered');
    }
  });

  it('a wrong key gives a clear typed error', () => {
    const other = new SecretBox(randomBytes(32));
    const err = (() => { try { other.open(box.seal('x', B), B); } catch (e) { return e; } })() as SecretDecryptError;
    expect(err).toBeInstanceOf(SecretDecryptError);
    expect(err.reason).toBe('wrong_key');
    expect(err.fix).toMatch(/AIOS_SECRET_KEY/);
    expect(() => box.open('garbage', B)).toThrow(/not a aios-sb2 envelope/);
  });

  it('opens only with the binding it was sealed with (purpose, tenant, record)', () => {
    const sealed = box.seal('whsec_x', B);
    for (const other of [{ ...B, recordId: 'conn_2' }, { ...B, tenantId: 'tn_b' }, { ...B, purpose: 'mcp.token' }]) {
      const err = (() => { try { box.open(sealed, other); } catch (e) { return e; } })() as SecretDecryptError;
      expect(err).toBeInstanceOf(SecretDecryptError);
      expect(err.reason).toBe('tampered');
      expect(err.message).toMatch(/copied from another connection/);
    }
  });

  it('refuses an older aios-sb1 envelope in open; openLegacy checks the old constant associated data', () => {
    const legacy = box.seal('x', B).replace('aios-sb2.', 'aios-sb1.');
    expect(() => box.open(legacy, B)).toThrow(/older format/);
    // The ciphertext above was sealed with bound associated data, so the legacy opener refuses it.
    expect(() => box.openLegacy(legacy)).toThrow(/integrity check/);
    expect(() => box.openLegacy(box.seal('x', B))).toThrow(/not a aios-sb1 envelope/);
  });

  it('takes the key from AIOS_SECRET_KEY and rejects a bad one', () => {
    const key = randomBytes(32).toString('base64');
    const a = SecretBox.fromEnvironment({ env: { AIOS_SECRET_KEY: key } });
    const b = SecretBox.fromEnvironment({ env: { AIOS_SECRET_KEY: key } });
    expect(b.open(a.seal('hi', B), B)).toBe('hi');
    expect(() => SecretBox.fromEnvironment({ env: { AIOS_SECRET_KEY: 'c2hvcnQ=' } })).toThrow(SecretKeyError);
  });

  it('creates AIOS_HOME/secret.key with mode 0600 on first use and reuses it', () => {
    const home = join(mkdtempSync(join(tmpdir(), 'aios-sb-')), 'home');
    const a = SecretBox.fromEnvironment({ env: { AIOS_HOME: home } });
    const file = join(home, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64').length).toBe(32);
    const b = SecretBox.fromEnvironment({ env: { AIOS_HOME: home } });
    expect(b.keyId).toBe(a.keyId);
    expect(b.open(a.seal('same key', B), B)).toBe('same key');
  });
});
