import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AiosError } from '../../core/errors.js';

/**
 * Encryption of credentials at rest: AES-256-GCM with a random 12-byte IV per message.
 * Envelope: `aios-sb2.<key id>.<iv b64url>.<tag b64url>.<ciphertext b64url>`, where the key id is
 * the first 8 hex digits of SHA-256(key) — so a wrong key is told apart from a tampered value.
 * The associated data binds the value to where it is stored ({@link SecretBinding}: purpose,
 * tenant, record), so a ciphertext copied to another row fails the integrity check.
 * `aios-sb1` envelopes (constant associated data, before binding) are opened only by
 * {@link SecretBox.openLegacy}, to re-seal them at start.
 * Keys and plaintexts are never logged or put in error messages.
 */
const VERSION = 'aios-sb2';
const LEGACY_VERSION = 'aios-sb1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** Where a sealed value lives; all three are authenticated with it. */
export interface SecretBinding {
  /** What the value is, e.g. `connection.credentials`. */
  purpose: string;
  tenantId: string;
  /** The id of the row that stores the value, e.g. the connection id. */
  recordId: string;
}

function associatedData(version: string, b: SecretBinding): Buffer {
  return Buffer.from(JSON.stringify([version, b.purpose, b.tenantId, b.recordId]), 'utf8');
}

/** The secret key is missing, malformed or unreadable. */
export class SecretKeyError extends AiosError {
  constructor(message: string, fix: string, cause?: unknown) {
    super('secret_key_invalid', message, { fix, cause });
  }
}

/** A sealed value cannot be opened: wrong key, tampered or not an envelope. */
export class SecretDecryptError extends AiosError {
  /** `legacy`: an `aios-sb1` envelope, which only the start-up upgrade opens. */
  readonly reason: 'wrong_key' | 'tampered' | 'malformed' | 'legacy';
  constructor(reason: 'wrong_key' | 'tampered' | 'malformed' | 'legacy', message: string, fix: string) {
    super(`secret_${reason}`, message, { fix });
    this.reason = reason;
  }
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** Seals and opens small secrets (credentials JSON) with one 256-bit key. */
export class SecretBox {
  readonly #key: Buffer;
  /** Public fingerprint of the key (8 hex digits); safe to show. */
  readonly keyId: string;

  /** `key` must be exactly 32 bytes. */
  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new SecretKeyError(`the secret key is ${key.length} bytes, expected ${KEY_BYTES}`, 'Generate one with `openssl rand -base64 32`.');
    this.#key = Buffer.from(key);
    this.keyId = keyId(this.#key);
  }

  /** Encrypts `plaintext` (UTF-8) into a versioned envelope bound to `binding`. */
  seal(plaintext: string, binding: SecretBinding): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(associatedData(VERSION, binding));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.keyId, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
  }

  /**
   * Decrypts an envelope made by `seal` with the same binding. Throws SecretDecryptError: wrong
   * key, tampered (or copied from another row), malformed, or legacy (an `aios-sb1` envelope).
   */
  open(sealed: string, binding: SecretBinding): string {
    if (sealed.startsWith(`${LEGACY_VERSION}.`)) {
      throw new SecretDecryptError('legacy', `stored credentials are in the older format ${LEGACY_VERSION}, not bound to their connection`, 'Restart AIOS: it re-encrypts older credentials at start. If they stay, enter the credentials again.');
    }
    return this.#decrypt(sealed, VERSION, associatedData(VERSION, binding));
  }

  /** Opens an `aios-sb1` envelope (constant associated data). Only for re-sealing at start. */
  openLegacy(sealed: string): string {
    return this.#decrypt(sealed, LEGACY_VERSION, Buffer.from(LEGACY_VERSION));
  }

  #decrypt(sealed: string, version: string, aad: Buffer): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== version) {
      throw new SecretDecryptError('malformed', `stored credentials are not a ${version} envelope`, 'Enter the credentials again (e.g. re-create the connection).');
    }
    const [, kid, ivS, tagS, ctS] = parts as [string, string, string, string, string];
    if (kid !== this.keyId) {
      throw new SecretDecryptError(
        'wrong_key',
        `stored credentials were encrypted with key ${kid}, but the current key is ${this.keyId}`,
        'Restore the original AIOS_SECRET_KEY (or AIOS_HOME/secret.key), or enter the credentials again.',
      );
    }
    const iv = Buffer.from(ivS, 'base64url');
    const tag = Buffer.from(tagS, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== 16) throw new SecretDecryptError('malformed', 'stored credentials have a bad IV or tag length', 'Enter the credentials again.');
    try {
      const d = createDecipheriv('aes-256-gcm', this.#key, iv);
      d.setAAD(aad);
      d.setAuthTag(tag);
      return Buffer.concat([d.update(Buffer.from(ctS, 'base64url')), d.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError(
        'tampered',
        'stored credentials failed the integrity check: modified, corrupted, or copied from another connection',
        'Enter the credentials again; check who can write to the database.',
      );
    }
  }

  /**
   * A 32-byte key for another purpose (e.g. `approval-links`), derived from this key with
   * HKDF-SHA256. Different purposes get unrelated keys; the box's own key never leaves it.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), `aios:${purpose}`, KEY_BYTES));
  }

  /**
   * The box for this install: `AIOS_SECRET_KEY` (base64 of 32 bytes) when set, otherwise the key
   * file `<AIOS_HOME>/secret.key` (base64), created with mode 0600 on first use.
   */
  static fromEnvironment(opts: { env?: NodeJS.ProcessEnv; home?: string } = {}): SecretBox {
    const env = opts.env ?? process.env;
    const fromEnv = env.AIOS_SECRET_KEY?.trim();
    if (fromEnv) return new SecretBox(decodeKey(fromEnv, 'AIOS_SECRET_KEY'));
    const file = join(resolve(opts.home ?? (env.AIOS_HOME || '.aios')), 'secret.key');
    return new SecretBox(loadOrCreateKeyFile(file));
  }
}

function decodeKey(b64: string, where: string): Buffer {
  const key = Buffer.from(b64, 'base64');
  if (key.length !== KEY_BYTES || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) {
    throw new SecretKeyError(`${where} must be base64 of exactly ${KEY_BYTES} bytes (got ${key.length} bytes)`, 'Generate one with `openssl rand -base64 32`.');
  }
  return key;
}

/** Reads the key file, or creates it (mode 0600, parent folder 0700 when created). */
export function loadOrCreateKeyFile(file: string): Buffer {
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new SecretKeyError(`cannot read the secret key file ${file}`, 'Check its owner and permissions (it should be readable by the AIOS user only).', err);
    }
    return decodeKey(text, file);
  }
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  try {
    writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return decodeKey(readFileSync(file, 'utf8').trim(), file);
    throw new SecretKeyError(`cannot create the secret key file ${file}`, 'Make AIOS_HOME writable, or set AIOS_SECRET_KEY.', err);
  }
  chmodSync(file, 0o600);
  return key;
}
