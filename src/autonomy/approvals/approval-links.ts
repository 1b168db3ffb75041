import { createHmac, randomBytes } from 'node:crypto';

/** What stands for the token in every stored copy of a notice: `…/a/[link]`. */
export const LINK_PLACEHOLDER = '[link]';

/** Length of a link token, in characters (base64url of a 32-byte HMAC). */
export const LINK_TOKEN_LENGTH = 43;

/**
 * Approval links. The token of an approval is HMAC-SHA256(instance link key, approval id + nonce),
 * base64url: the database keeps only the nonce and SHA-256(token), so neither a database dump nor
 * a stored notice reveals a working link, and computing the token again (a step re-run after a
 * crash, the send of a queued notice) always gives the same link.
 */
export class ApprovalLinks {
  readonly #key: Buffer;

  /** `key`: 32 bytes from the instance secret (`SecretBox.deriveKey('approval-links')`). `baseUrl`: public URL, no trailing slash. */
  constructor(key: Buffer, private readonly baseUrl: () => string) {
    if (key.length < 32) throw new Error('approval link key must be at least 32 bytes');
    this.#key = Buffer.from(key);
  }

  /** A fresh nonce for a new approval (128 bits, base64url). */
  static newNonce(): string {
    return randomBytes(16).toString('base64url');
  }

  /** The link token of one approval. Deterministic: same id and nonce, same token. */
  token(approvalId: string, nonce: string): string {
    return createHmac('sha256', this.#key).update(`approval-link:v1:${approvalId}:${nonce}`, 'utf8').digest('base64url');
  }

  /** The full link for a token. */
  url(token: string): string {
    return `${this.baseUrl()}/a/${token}`;
  }

  /** The link as written in stored notices: `<public URL>/a/[link]`. */
  redactedUrl(): string {
    return this.url(LINK_PLACEHOLDER);
  }

  /**
   * Puts the real link into a stored notice, in memory only (at send time). Returns the text to
   * send and the token, which the caller must keep out of anything it stores.
   */
  render(storedBody: string, approvalId: string, nonce: string): { body: string; secret: string } {
    const token = this.token(approvalId, nonce);
    const marker = `/a/${LINK_PLACEHOLDER}`;
    const at = storedBody.lastIndexOf(marker);
    if (at < 0) return { body: storedBody, secret: token };
    return { body: `${storedBody.slice(0, at)}/a/${token}${storedBody.slice(at + marker.length)}`, secret: token };
  }
}
