import { describe, it, expect } from 'vitest';
import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecretBox, SecretDecryptError, SecretKeyError } from './secret-box.js';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips and uses a fresh IV each time', () => {
    const a = box.seal('{"password":"hunter2"}');
    const b = box.seal('{"password":"hunter2"}');
    expect(a).not.toBe(b);
    expect(a.startsWith('aios-sb1.')).toBe(true);
    expect(a).not.toContain('hunter2');
    expect(box.open(a)).toBe('{"password":"hunter2"}');
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const sealed = box.seal('secret value');
    const parts = sealed.split('.');
    for (const i of [2, 3, 4]) {
      const p = [...parts];
      const bytes = Buffer.from(p[i]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      p[i] = bytes.toString('base64url');
      expect(() => box.open(p.join('.'))).toThrow(SecretDecryptError);
    }
    try {
      const p = [...parts];
      const ct = Buffer.from(p[4]!, 'base64url');
      ct[ct.length - 1] = ct[ct.length - 1]! ^ 0x80;
      p[4] = ct.toString('base64url');
      box.open(p.join('.'));
      expect.unreachable();
    } catch (err) {
      expect((err as SecretDecryptError).reason).toBe('tampered');
    }
  });

  it('a wrong key gives a clear typed error', () => {
    const other = new SecretBox(randomBytes(32));
    const err = (() => { try { other.open(box.seal('x')); } catch (e) { return e; } })() as SecretDecryptError;
    expect(err).toBeInstanceOf(SecretDecryptError);
    expect(err.reason).toBe('wrong_key');
    expect(err.fix).toMatch(/AIOS_SECRET_KEY/);
    expect(() => box.open('garbage')).toThrow(/not a aios-sb1 envelope/);
  });

  it('takes the key from AIOS_SECRET_KEY and rejects a bad one', () => {
    const key = randomBytes(32).toString('base64');
    const a = SecretBox.fromEnvironment({ env: { AIOS_SECRET_KEY: key } });
    const b = SecretBox.fromEnvironment({ env: { AIOS_SECRET_KEY: key } });
    expect(b.open(a.seal('hi'))).toBe('hi');
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
    expect(b.open(a.seal('same key'))).toBe('same key');
  });
});
