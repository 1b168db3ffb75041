import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { verifyTwilioSignature } from '../../connection/twilio/signature.js';
import { parseVoiceStatus, parseInboundSms, twiml } from '../../connection/twilio/webhook-forms.js';
import { ConflictError, InputError } from '../../core/errors.js';
import { needsCleaning, rawIfCleaned, type RawBody } from '../../core/clean-text.js';
import { parseMessageStatus, parseRecording, parseTranscription } from '../../connection/twilio/callback-forms.js';
import { intakeMessageStatus, intakeRecording, intakeTranscription } from '../voice-intake.js';
import { intakeVoiceStatus, intakeInboundSms } from '../intake.js';
import { IntakeLanes, defaultIntakeConcurrency } from './intake-lanes.js';
import type { Services } from './services.js';
import { mountVoiceRoutes } from './voice-routes.js';
import { twilioWebhook } from './schemas/twilio.js';

/** Largest webhook body accepted, in bytes. Twilio's callbacks are a few kilobytes. */
export const WEBHOOK_MAX_BYTES = 64 * 1024;

function formParams(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    const cur = out[k];
    out[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  return out;
}

/** The form fields of a verified webhook, and its raw body when text in it had to be cleaned. */
interface Params {
  params: Record<string, string | string[]>;
  raw: RawBody | null;
}

/**
 * Twilio webhooks, form-encoded: `POST /hooks/twilio/voice` (call status callbacks),
 * `/sms` (inbound messages), `/status` (delivery receipts of sent messages), `/recording` and
 * `/transcription` (voicemail). Order of checks: size → content type → signature (when an
 * auth token is configured) → fields → tenant by the `To` number. Any failure answers 4xx with the
 * reason, logs it, and stores nothing. Missed calls and inbound SMS are taken in per-business lanes
 * (`intake-lanes.ts`, `AIOS_BUSINESS_INTAKE_CONCURRENCY`).
 *
 * Text fields lose control characters and invalid code points (`core/clean-text.ts`) after the
 * signature is checked over the fields as sent; the event then keeps the raw body as base64 in
 * `payload.raw`. The callbacks that point at an earlier record (`/status`, `/recording`,
 * `/transcription`) must come from the configured `AIOS_TWILIO_ACCOUNT_SID` when it is set (403).
 */
export function twilioRoutes(s: Services): OpenAPIHono {
  const app = new OpenAPIHono();
  const limit = bodyLimit({
    maxSize: WEBHOOK_MAX_BYTES,
    onError: (c) => {
      s.log.warn({ path: c.req.path }, 'webhook refused: body too large');
      return c.text(`webhook body over ${WEBHOOK_MAX_BYTES} bytes`, 413);
    },
  });

  const readParams = async (c: Context): Promise<Params> => {
    const ctype = c.req.header('content-type') ?? '';
    if (!ctype.startsWith('application/x-www-form-urlencoded')) throw new InputError(`expected application/x-www-form-urlencoded, got "${ctype || 'none'}"`, { status: 415, fix: 'Send the webhook as Twilio does: form fields with Content-Type application/x-www-form-urlencoded (see `aios simulate`).' });
    const text = await c.req.text();
    const params = formParams(text);
    const token = s.config.twilio.authToken;
    if (token) {
      const url = new URL(c.req.url);
      const signedUrl = `${s.publicUrl()}${url.pathname}${url.search}`;
      if (!verifyTwilioSignature(token, signedUrl, params, c.req.header('x-twilio-signature'))) {
        throw new InputError(`X-Twilio-Signature missing or invalid for ${signedUrl}`, { status: 403, code: 'bad_signature', fix: 'Check AIOS_PUBLIC_URL matches the URL configured in Twilio, and the auth token.' });
      }
    }
    const dirty = Object.entries(params).some(([k, v]) => needsCleaning(k) || (Array.isArray(v) ? v : [v]).some(needsCleaning));
    return { params, raw: rawIfCleaned(text, dirty) };
  };

  /** A callback from another Twilio account than the configured one is refused (403). */
  const checkAccount = (params: Record<string, string | string[]>) => {
    const expected = s.config.twilio.accountSid;
    const given = params.AccountSid;
    if (expected && given !== undefined && given !== expected) {
      throw new InputError(`AccountSid ${String(given).slice(0, 64)} is not the Twilio account of this AIOS`, { status: 403, code: 'account_mismatch', fix: 'Point only the numbers of the account in AIOS_TWILIO_ACCOUNT_SID at these callbacks.' });
    }
  };

  const refuse = (c: Context, err: unknown) => {
    if (err instanceof InputError) {
      s.log.warn({ path: c.req.path, status: err.status, reason: err.message }, 'webhook refused');
      return c.text(err.message, err.status as 400);
    }
    throw err;
  };

  // A flood on one business's number waits in that business's lane, never in front of another's.
  const configured = s.config.work.businessIntakeConcurrency;
  const lanes = new IntakeLanes(configured ?? (() => defaultIntakeConcurrency(s.tenants.count())));

  const tenantFor = (to: string) => {
    const t = s.tenants.byNumber(to);
    if (!t) throw new InputError(`no business uses the number ${to}`, { status: 404, fix: 'Set phone: in the tenant.yaml of the business that owns this number.' });
    return t;
  };

  app.openapi(twilioWebhook('/voice', 'Twilio call status callback; no-answer, busy, failed, canceled = missed call', limit), async (c) => {
    try {
      const { params, raw } = await readParams(c);
      const voice = parseVoiceStatus(params);
      const tenant = tenantFor(voice.to);
      const res = await lanes.run(tenant.id, () => intakeVoiceStatus(s, tenant, voice, raw));
      return c.body(twiml([]), 200, { 'content-type': 'text/xml', 'x-aios-duplicate': String(res.duplicate) });
    } catch (err) {
      return refuse(c, err);
    }
  });

  app.openapi(twilioWebhook('/sms', 'Twilio inbound SMS; STOP/START/HELP honoured', limit), async (c) => {
    try {
      const { params, raw } = await readParams(c);
      const sms = parseInboundSms(params);
      const tenant = tenantFor(sms.to);
      const res = await lanes.run(tenant.id, () => intakeInboundSms(s, tenant, sms, { signatureVerified: Boolean(s.config.twilio.authToken), raw }));
      return c.body(twiml(res.replies ?? []), 200, { 'content-type': 'text/xml', 'x-aios-duplicate': String(res.duplicate) });
    } catch (err) {
      return refuse(c, err);
    }
  });
  const callback = (path: string, summary: string, handle: (params: Record<string, string | string[]>, raw: RawBody | null) => Promise<{ duplicate: boolean }>) =>
    app.openapi(twilioWebhook(path, summary, limit, { 409: 'the record it points at is not known yet (Twilio retries)' }), async (c) => {
      try {
        const { params, raw } = await readParams(c);
        checkAccount(params);
        const res = await handle(params, raw);
        return c.body(twiml([]), 200, { 'content-type': 'text/xml', 'x-aios-duplicate': String(res.duplicate) });
      } catch (err) {
        if (err instanceof ConflictError) {
          s.log.warn({ path: c.req.path, reason: err.message }, 'callback not yet processable');
          return c.text(err.message, 409);
        }
        return refuse(c, err);
      }
    });
  callback('/status', 'Twilio message status callback (delivery receipts of texts AIOS sent)', (p) => intakeMessageStatus(s, parseMessageStatus(p)));
  callback('/recording', 'Twilio recording status callback (voicemail); 409 while the call is not yet known', (p, raw) => intakeRecording(s, parseRecording(p), raw));
  callback('/transcription', 'Twilio transcription callback (voicemail text; counts as the caller’s reply)', (p, raw) => intakeTranscription(s, parseTranscription(p), raw));
  mountVoiceRoutes(app, s, { limit, readParams, refuse, tenantFor });
  return app;
}
