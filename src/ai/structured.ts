import type { z } from 'zod';

/** Outcome of checking a model's output against a schema. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * The JSON inside a model reply: the text itself, or the body of a ```json fence, or the span from
 * the first `{` to the last `}` when the model wrapped the object in prose.
 * @returns the parsed value, or an Error describing why nothing parsed.
 */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed) return new Error('the reply was empty');
  const candidates = [trimmed];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
  if (fence?.[1]) candidates.push(fence[1].trim());
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1));
  let error: unknown;
  for (const c of candidates) {
    try {
      return JSON.parse(c);
    } catch (err) {
      error ??= err;
    }
  }
  return new Error(`the reply is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
}

/**
 * Validates a model output (raw text, or an already parsed value such as tool-call arguments)
 * against `schema`. Problems are described in a form the model can act on: at most five issues,
 * `path: message` each.
 */
export function checkOutput<T>(output: unknown, schema: z.ZodType<T>): Checked<T> {
  const value = typeof output === 'string' ? extractJson(output) : output;
  if (value instanceof Error) return { ok: false, problem: value.message };
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  const more = parsed.error.issues.length > 5 ? `; and ${parsed.error.issues.length - 5} more` : '';
  return { ok: false, problem: `the JSON does not match the schema: ${issues.join('; ')}${more}` };
}

/** The user message that asks the model to correct its previous output. */
export function correctionMessage(problem: string, toolName: string | null): string {
  const how = toolName ? `by calling the ${toolName} tool with arguments that match its schema` : 'with only a JSON object that matches the required schema, no prose or code fences';
  return `Your previous reply was not valid: ${problem}. Reply again ${how}.`;
}
