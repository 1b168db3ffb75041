import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { FormsFileCache } from '../../connection/forms/forms-file.js';
import { parseBody, parseLead } from '../../connection/forms/lead-input.js';
import { FormSignatureError, verifyFormSignature } from '../../connection/forms/signature.js';
import { intakeLead, leadDedupKey } from '../lead-intake.js';
import { cleanDeep, rawIfCleaned } from '../../core/clean-text.js';
import type { Services } from './services.js';
import { LeadFieldsSchema, PublicErrorSchema, SlugParam, handlerReadBody, publicJson } from './schemas/public.js';

/** Largest signed form body accepted, in bytes (64 KB). */
export const FORM_MAX_BYTES = 64 * 1024;

/**
 * `POST /hooks/forms/:slug` — a website form (or a form service's webhook) posting a lead, signed
 * with the tenant's `forms.secret` (see `forms.yaml` and `connection/forms/signature.ts`).
 *
 * Order of checks, each failure storing nothing: size (413) → tenant (404) → `forms.yaml` with
 * `forms.secret` (404 `forms_not_configured`) → signature and timestamp (403) → body and fields
 * (400 naming the field, 415 for other content types) → stored: 201 `{status:'stored', eventId,
 * signalId}`; the same idempotency key (the signed body's `idempotency_key` field), or the same
 * body, again → 200 `{status:'duplicate', eventId}`. An `Idempotency-Key` request header is
 * ignored: it is outside the signature, so a replayed request with a fresh header must not make a
 * second lead. Text fields lose control characters (`core/clean-text.ts`); the event then keeps the
 * raw body as base64 in `payload.raw`.
 */
export function formRoutes(s: Services, opts: { formsFiles?: FormsFileCache } = {}): OpenAPIHono {
  const app = new OpenAPIHono();
  const files = opts.formsFiles ?? new FormsFileCache();
  const limit = bodyLimit({
      maxSize: FORM_MAX_BYTES,
      onError: (c) => {
        s.log.warn({ path: c.req.path }, 'form webhook refused: body too large');
        return c.json({ error: 'too_large', message: `form body over ${FORM_MAX_BYTES} bytes`, fix: 'Send only the lead fields; attach files by link.' }, 413);
      },
    });
  const err = (d: string) => publicJson(PublicErrorSchema, d);
  app.openapi(createRoute({
    method: 'post', path: '/hooks/forms/{slug}', summary: 'Signed web form lead (X-AIOS-Timestamp, X-AIOS-Signature: sha256=HMAC(secret, "<ts>.<body>"))', middleware: [limit],
    request: {
      params: SlugParam,
      headers: z.object({ 'x-aios-timestamp': z.string().optional().openapi({ description: 'Unix seconds; at most 5 minutes old' }), 'x-aios-signature': z.string().optional().openapi({ description: 'sha256=<hex HMAC of "<ts>.<body>" with forms.secret>' }) }),
      body: handlerReadBody(LeadFieldsSchema, ['application/json', 'application/x-www-form-urlencoded'], 'read after the signature is checked over the bytes as sent'),
    },
    responses: {
      201: publicJson(z.object({ status: z.literal('stored'), eventId: z.string(), signalId: z.string().optional(), contactId: z.string().optional() }), 'stored'),
      200: publicJson(z.object({ status: z.literal('duplicate'), eventId: z.string() }), 'the same lead again'),
      400: err('invalid field'), 403: err('bad signature or stale timestamp'), 404: err('unknown business or forms not configured'), 413: err('over 64 KB'), 415: err('neither JSON nor form fields'),
    },
  }), async (c) => {
      const tenant = s.tenants.bySlugOrThrow(c.req.param('slug'));
      const secret = files.get(tenant.dir).forms?.secret;
      if (!secret) {
        return c.json({ error: 'forms_not_configured', message: `forms not configured for "${tenant.slug}"`, fix: `Create tenants/${tenant.slug}/forms.yaml in AIOS_HOME with forms.secret (a random string of 24+ characters).` }, 404);
      }
      const raw = await c.req.text();
      try {
        verifyFormSignature(secret, raw, { signature: c.req.header('x-aios-signature'), timestamp: c.req.header('x-aios-timestamp') }, s.clock.now());
      } catch (err) {
        if (!(err instanceof FormSignatureError)) throw err;
        s.log.warn({ tenant: tenant.slug, reason: err.message }, 'form webhook refused');
        return c.json({ error: err.code, message: err.message, fix: err.fix }, 403);
      }
      const parsed = parseBody(raw, c.req.header('content-type') ?? '');
      const body = cleanDeep(parsed);
      const lead = parseLead(body, { source: 'form', businessPhone: tenant.phone });
      const res = await intakeLead(s, tenant, lead, leadDedupKey('form', lead, lead.idempotencyKey ? undefined : raw), rawIfCleaned(raw, body !== parsed));
      if (res.duplicate) return c.json({ status: 'duplicate' as const, eventId: res.eventId }, 200);
      return c.json({ status: 'stored' as const, eventId: res.eventId, signalId: res.signalId, contactId: res.contactId }, 201);
  });
  return app;
}
