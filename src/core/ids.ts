import { randomBytes, createHash } from 'node:crypto';

/**
 * Sortable, prefixed ids: `<prefix>_<12 hex of ms time><12 hex random>`.
 * Time-prefixed so that listings ordered by id are ordered by creation.
 */
export function newId(prefix: string): string {
  const t = Date.now().toString(16).padStart(12, '0');
  return `${prefix}_${t}${randomBytes(6).toString('hex')}`;
}

/** A URL-safe random secret of `bytes` random bytes (default 32 = 256 bits). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 hex of a secret; secrets (API tokens, approval links) are stored only as this hash. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
