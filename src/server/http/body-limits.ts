import type { Context, MiddlewareHandler } from 'hono';
import { ADS_MAX_BYTES } from '../../leverage/client-report/ads-import.js';

/** Largest JSON body of `/api/v1`, `/mcp` and `/widget`, in bytes (64 KiB). */
export const JSON_MAX_BYTES = 64 * 1024;

/**
 * Largest CSV accepted by `POST /api/v1/imports/{kind}`, in bytes (50 MB): the one route of
 * `/api/v1` above {@link JSON_MAX_BYTES}, because an export of a CRM or accounting system is large.
 * The CSV streams into the import (`connection-routes.ts`); it is never held as one string.
 */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

/** Largest PDF or image accepted by `POST /api/v1/document-uploads/{id}`, in bytes (25 MiB). */
export const DOCUMENT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;

/**
 * Routes that take more than {@link JSON_MAX_BYTES}, by path prefix, each with the limit its route
 * applies itself (while streaming): CSV imports (`POST /api/v1/imports/{kind}`, 50 MB), document
 * uploads and ad exports (`POST /api/v1/client-reports/ads`, 5 MiB).
 */
export const LARGER_BODY_LIMITS: ReadonlyArray<{ prefix: string; maxBytes: number; what: string }> = [
  { prefix: '/api/v1/imports/', maxBytes: IMPORT_MAX_BYTES, what: 'CSV import' },
  { prefix: '/api/v1/document-uploads/', maxBytes: DOCUMENT_UPLOAD_MAX_BYTES, what: 'document upload (PDF or image)' },
  { prefix: '/api/v1/client-reports/ads', maxBytes: ADS_MAX_BYTES, what: 'ad export (Google Ads or Meta Ads CSV)' },
];

/** A size in bytes as people write it: `64 KiB`, `50 MiB`, `512 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The JSON answer to a body over `maxBytes`: 413 `{error:'too_large', message:'body over 64 KiB', fix}`. */
export function tooLarge(c: Context, maxBytes: number): Response {
  return c.json({ error: 'too_large', message: `body over ${formatBytes(maxBytes)}`, fix: `Send at most ${formatBytes(maxBytes)}; split larger data into several requests.` }, 413);
}

/** How much of a refused chunked body is read and discarded so the client can read the 413 (bytes). */
export const DISCARD_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Refuses a request body over `maxBytes` with 413 before it is buffered. A `Content-Length` over
 * the limit is refused without reading; a chunked body (no `Content-Length`) is counted while it
 * streams and refused as soon as it passes the limit — then up to {@link DISCARD_MAX_BYTES} more is
 * read and dropped (never kept), so that the client, still sending, reads the answer instead of a
 * reset connection. Paths under a {@link LARGER_BODY_LIMITS} prefix are left to their route's own,
 * larger limit.
 */
export function jsonBodyLimit(maxBytes = JSON_MAX_BYTES): MiddlewareHandler {
  return async (c, next) => {
    if (LARGER_BODY_LIMITS.some((l) => c.req.path.startsWith(l.prefix))) return next();
    // Decide on the headers first: touching `c.req.raw.body` wraps Node's request stream in a web
    // stream that nobody drains after a 413, and the server then has to reset the connection.
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) return Number(declared) > maxBytes ? tooLarge(c, maxBytes) : next();
    const body = c.req.raw.body;
    if (!body) return next();
    const reader = body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        void discard(reader);
        return tooLarge(c, maxBytes);
      }
      chunks.push(value);
    }
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks, size) });
    return next();
  };
}

/** Reads and drops the rest of a refused body, at most {@link DISCARD_MAX_BYTES}, then lets go of it. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let dropped = 0;
  try {
    while (dropped <= DISCARD_MAX_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      dropped += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // the client went away: nothing to drop any more
  }
}
