import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createHash } from 'node:crypto';
import type { Db } from '../../store/db.js';
import type { Logger } from '../../core/logger.js';
import { appendEvent } from '../events.js';
import { cleanDeep, cleanText, rawIfCleaned } from '../../core/clean-text.js';
import { findConnectionById, readCredentials } from '../framework/connections.js';
import { quarantineItem } from '../framework/quarantine.js';
import type { SecretBox } from '../framework/secret-box.js';
import { StripeSignatureError, verifyStripeSignature } from './signature.js';
import { applyStripeEvent, stripeEventSchema, type StripeEvent } from './process-event.js';

/** Largest Stripe webhook body accepted, in bytes. */
export const STRIPE_WEBHOOK_MAX_BYTES = 1024 * 1024;

/** Credentials of a `stripe` connection. */
export interface StripeCredentials {
  /** The endpoint's signing secret, `whsec_…`. */
  webhookSecret: string;
}

export interface StripeWebhookDeps {
  db: Db;
  box: SecretBox;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  now?: () => Date;
  /** Runs processing after the 200 is sent; default: in the background (errors are quarantined). */
  defer?: (task: () => Promise<void>) => void;
  /** Called after an event changed the records (e.g. the server tells an invoice's chase that it was paid); its errors are logged, not quarantined. */
  onApplied?: (tenantId: string, event: StripeEvent) => Promise<void>;
}

/**
 * `POST /hooks/stripe/:connectionId` — Stripe webhooks for one `stripe` connection. Order:
 * connection → size → signature (400, nothing stored) → JSON (malformed → quarantined, 200) →
 * the raw event is appended (dedup `stripe:<event id>`; a redelivery answers 200 and does nothing)
 * → 200 → the event updates invoices/payments (a failure there quarantines the event with its reason).
 */
export function stripeWebhookRoutes(deps: StripeWebhookDeps): Hono {
  const app = new Hono();
  const defer = deps.defer ?? ((task) => void setImmediate(() => void task()));
  app.post(
    '/hooks/stripe/:connectionId',
    bodyLimit({ maxSize: STRIPE_WEBHOOK_MAX_BYTES, onError: (c) => c.json({ error: 'too_large', message: `webhook body over ${STRIPE_WEBHOOK_MAX_BYTES} bytes` }, 413) }),
    async (c) => {
      const connectionId = c.req.param('connectionId');
      const conn = await findConnectionById(deps.db, connectionId);
      if (!conn || conn.kind !== 'stripe' || conn.status === 'disabled') {
        return c.json({ error: 'not_found', message: `no active Stripe connection ${connectionId}`, fix: 'Check the webhook URL in the Stripe dashboard against `aios connections`.' }, 404);
      }
      let secret: string;
      try {
        secret = readCredentials<StripeCredentials>(deps.box, conn)?.webhookSecret ?? '';
      } catch (err) {
        deps.log.error({ connectionId, err }, 'stripe webhook: cannot open the connection credentials');
        return c.json({ error: 'credentials_unreadable', message: 'the signing secret of this connection cannot be read', fix: 'Enter the Stripe signing secret again.' }, 500);
      }
      const raw = await c.req.text();
      try {
        verifyStripeSignature(c.req.header('stripe-signature'), raw, secret, { now: deps.now });
      } catch (err) {
        if (!(err instanceof StripeSignatureError)) throw err;
        deps.log.warn({ connectionId, reason: err.message }, 'stripe webhook refused');
        return c.json({ error: 'bad_signature', message: err.message, fix: err.fix }, 400);
      }
      const tenantId = conn.tenant_id;
      let json: unknown;
      let problem: string | null = null;
      let cleaned = false;
      try {
        const parsed = JSON.parse(raw) as unknown;
        json = cleanDeep(parsed); // NUL and lone surrogates cannot be stored in jsonb
        cleaned = json !== parsed;
      } catch (err) {
        problem = `malformed JSON: ${(err as Error).message}`;
      }
      const parsed = problem ? null : stripeEventSchema.safeParse(json);
      if (parsed && !parsed.success) problem = `not a Stripe event: ${parsed.error.issues[0]?.path.join('.') || '(root)'}: ${parsed.error.issues[0]?.message}`;
      if (problem || !parsed?.success) {
        const externalId = `body:${createHash('sha256').update(raw).digest('hex').slice(0, 24)}`;
        await quarantineItem(deps.db, { tenantId, connectionId, source: 'stripe', externalId, reason: problem ?? 'not a Stripe event', sample: cleanText(raw.slice(0, 200)) });
        deps.log.warn({ connectionId, reason: problem }, 'stripe webhook quarantined');
        return c.json({ received: true, quarantined: true });
      }
      const event = parsed.data;
      const { event: stored, duplicate } = await appendEvent(deps.db, {
        tenantId,
        source: 'stripe',
        type: `stripe.${event.type}`,
        dedupKey: `stripe:${event.id}`,
        occurredAt: new Date(event.created * 1000),
        payload: { ...(json as Record<string, unknown>), connectionId, ...(cleaned ? { raw: rawIfCleaned(raw, true) } : {}) },
      });
      if (!duplicate) {
        defer(async () => {
          try {
            const applied = await applyStripeEvent(deps.db, tenantId, event);
            if (applied !== 'ignored' && deps.onApplied) {
              await deps.onApplied(tenantId, event).catch((err: unknown) => deps.log.error({ connectionId, eventId: event.id, err }, 'stripe event applied; the follow-up failed'));
            }
          } catch (err) {
            deps.log.warn({ connectionId, eventId: event.id, err }, 'stripe event could not be applied');
            await quarantineItem(deps.db, { tenantId, connectionId, source: 'stripe', externalId: event.id, reason: (err as Error).message ?? String(err), sample: `${event.type} ${stored.id}` }).catch(
              (e: unknown) => deps.log.error({ err: e }, 'stripe quarantine failed'),
            );
          }
        });
      }
      return c.json({ received: true, duplicate, eventId: stored.id });
    },
  );
  return app;
}
