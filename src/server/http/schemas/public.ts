import { z } from '@hono/zod-openapi';

/**
 * A request body documented from a zod schema but read by the handler itself: a plain JSON
 * Schema, which zod-openapi does not validate. Used where the handler must see the bytes as sent
 * (signatures over the raw body) or answers bad input in its own words (public routes).
 */
export function handlerReadBody(schema: z.ZodType, mediaTypes: string[] = ['application/json'], description?: string) {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { content: Object.fromEntries(mediaTypes.map((m) => [m, { schema: json }])), required: true as const, ...(description ? { description } : {}) };
}

/** A lead a website posts (form fields or JSON): a phone or an email is needed. */
export const LeadFieldsSchema = z.object({
  name: z.string().max(200).optional(), phone: z.string().max(40).optional(), email: z.string().max(254).optional(), message: z.string().max(5000).optional(),
  page: z.string().optional(), idempotency_key: z.string().max(200).optional().openapi({ description: 'the same key again is a duplicate' }),
});

/** The error answer of a public JSON route (the fix says what to do next). */
export const PublicErrorSchema = z.object({ error: z.string(), message: z.string(), fix: z.string().optional() });

/** `{path}` parameter named `slug`: the business's slug. */
export const SlugParam = z.object({ slug: z.string().openapi({ param: { name: 'slug', in: 'path' }, description: 'the business (its slug)' }) });

/** An HTML page answer. */
export const htmlPage = (description: string) => ({ content: { 'text/html': { schema: z.string() } }, description });
/** A JSON answer of a public route. */
export const publicJson = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
