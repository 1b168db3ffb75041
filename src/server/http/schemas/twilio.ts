import { createRoute, z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';

/**
 * The form fields Twilio posts (the ones AIOS reads; Twilio sends more). A plain JSON Schema, not
 * zod, on purpose: zod-openapi would validate (and re-read) the body before the handler, while the
 * handler must check `X-Twilio-Signature` over the fields exactly as sent first.
 */
const TWILIO_FORM = {
  type: 'object',
  properties: {
    AccountSid: { type: 'string' }, From: { type: 'string' }, To: { type: 'string' }, CallSid: { type: 'string' }, CallStatus: { type: 'string' },
    MessageSid: { type: 'string' }, Body: { type: 'string' }, MessageStatus: { type: 'string' }, RecordingUrl: { type: 'string' }, TranscriptionText: { type: 'string' },
    SpeechResult: { type: 'string' }, DialCallStatus: { type: 'string' },
  },
  additionalProperties: { type: 'string' },
} as const;

const text = (description: string) => ({ content: { 'text/plain': { schema: z.string() } }, description });

/**
 * The declaration of a Twilio webhook (`POST /hooks/twilio<path>`): form-encoded fields, the
 * signature header, TwiML back; refusals are plain text saying why. `limit` is the body limit
 * middleware; `more` adds statuses the route answers.
 */
export function twilioWebhook(path: string, summary: string, limit: MiddlewareHandler, more: Record<number, string> = {}) {
  return createRoute({
    method: 'post', path, summary, middleware: [limit],
    request: {
      headers: z.object({ 'x-twilio-signature': z.string().optional().openapi({ description: 'HMAC-SHA1 of the URL and fields; required when an auth token is configured' }) }),
      body: { content: { 'application/x-www-form-urlencoded': { schema: TWILIO_FORM } }, required: true },
    },
    responses: {
      200: { content: { 'text/xml': { schema: z.string().openapi({ description: 'TwiML' }) } }, description: 'TwiML (header x-aios-duplicate: true when already seen)' },
      400: text('invalid fields'), 403: text('bad signature, or another Twilio account'), 404: text('no business uses the To number'), 413: text('body over 64 KB'),
      415: text('not application/x-www-form-urlencoded'),
      ...Object.fromEntries(Object.entries(more).map(([k, d]) => [k, text(d)])),
    },
  });
}
