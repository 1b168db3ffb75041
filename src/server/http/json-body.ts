import type { z } from 'zod';
import { InputError } from '../../core/errors.js';

/** Reads a JSON request body; an empty body is `{}`; anything not JSON is a 400 InputError. */
export async function readJson(req: { text(): Promise<string> }): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError('request body is not valid JSON');
  }
}

/**
 * Reads and validates a JSON body. On a schema violation: 400 naming each field, with `shape` (a
 * short example of the expected body) in the message.
 */
export async function readBody<T>(req: { text(): Promise<string> }, schema: z.ZodType<T>, shape: string): Promise<T> {
  const r = schema.safeParse(await readJson(req));
  if (!r.success) throw new InputError(`body must be ${shape}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  return r.data;
}
