import type { z } from 'zod';
import { InputError } from '../../core/errors.js';
import { cleanDeep } from '../../core/clean-text.js';
import { JSON_MAX_BYTES, formatBytes } from './body-limits.js';

/** What {@link readJson} needs of a request (Hono's `c.req`). */
export interface JsonRequest {
  text(): Promise<string>;
  header(name: string): string | undefined;
}

function tooLarge(maxBytes: number): InputError {
  return new InputError(`body over ${formatBytes(maxBytes)}`, { status: 413, code: 'too_large', fix: `Send at most ${formatBytes(maxBytes)}; split larger data into several requests.` });
}

/**
 * Reads a JSON request body; an empty body is `{}`; anything not JSON is a 400 InputError. A body
 * over `maxBytes` (default {@link JSON_MAX_BYTES}) is a 413 InputError — refused by its
 * `Content-Length` before reading (the app-level `jsonBodyLimit` also cuts off chunked bodies while
 * they stream). Every string in the result, keys included, has its control characters and invalid
 * code points removed (`core/clean-text.ts`), so a NUL cannot reach PostgreSQL.
 */
export async function readJson(req: JsonRequest, maxBytes = JSON_MAX_BYTES): Promise<unknown> {
  const declared = Number(req.header('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await req.text();
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw tooLarge(maxBytes);
  if (!text.trim()) return {};
  try {
    return cleanDeep(JSON.parse(text) as unknown);
  } catch {
    throw new InputError('request body is not valid JSON', { fix: 'Send one JSON object with Content-Type: application/json, e.g. {"text": "…"}; check quotes, commas and brackets.' });
  }
}

/**
 * Reads and validates a JSON body. On a schema violation: 400 naming each field, with `shape` (a
 * short example of the expected body) in the message.
 */
export async function readBody<T>(req: JsonRequest, schema: z.ZodType<T>, shape: string): Promise<T> {
  const r = schema.safeParse(await readJson(req));
  if (!r.success) throw new InputError(`body must be ${shape}: ${issuesText(r.error)}`, { fix: `Send ${shape} as the JSON body; the OpenAPI document at /openapi.json lists every field.` });
  return r.data;
}

/** `path.to.field problem; …` of a zod error. */
export function issuesText(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'} ${i.message}`).join('; ');
}
